#!/bin/sh
# Entrypoint of the mcp-router/app image (api and worker).
# Started as root (the image's default), it prepares what the unprivileged user needs, then drops to that user:
#   - DATA_DIR (a volume) is owned by it;
#   - it joins the group that owns the Docker socket, whatever that group's id is on this host (docker's gid
#     differs between distributions, and is 0 on Docker Desktop), so no DOCKER_GID has to be configured.
# Started as another user (compose `user:` with `group_add:`), it changes nothing and runs the command as is.
set -eu

APP_USER=node

if [ "$(id -u)" != 0 ]; then
  exec "$@"
fi

data_dir=${DATA_DIR:-/data}
mkdir -p "$data_dir"
# Only what is not the user's already (cheap on every restart, like the official redis image does).
find "$data_dir" \! -user "$APP_USER" -exec chown "$APP_USER:$APP_USER" '{}' +

groups=$(id -g "$APP_USER")
socket=/var/run/docker.sock
case "${DOCKER_HOST:-}" in
  unix://*) socket=${DOCKER_HOST#unix://} ;;
  ?*) socket= ;;
esac
if [ -n "$socket" ] && [ -S "$socket" ]; then
  groups="$groups,$(stat -c %g "$socket")"
elif [ -n "$socket" ]; then
  echo "mcp-router: no Docker socket at $socket (mount it, or set DOCKER_HOST)" >&2
fi

export HOME="$(getent passwd "$APP_USER" | cut -d: -f6)"
exec setpriv --reuid="$APP_USER" --regid="$APP_USER" --groups="$groups" --inh-caps=-all -- "$@"
