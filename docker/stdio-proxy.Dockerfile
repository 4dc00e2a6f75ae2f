# mcp-router/stdio-proxy — MCP over stdio ⇄ the router's streamable HTTP endpoint, for Claude Desktop:
#   docker run -i --rm -e MCP_ROUTER_URL=https://router.example.com/mcp -e MCP_ROUTER_TOKEN=<API key> mcp-router/stdio-proxy
# (add --network host when the router is on this machine's localhost).
#   docker build --network host -f docker/stdio-proxy.Dockerfile -t mcp-router/stdio-proxy .
ARG NODE_IMAGE=node:24-trixie-slim
ARG BASE_IMAGE=debian:trixie-slim

# --- build (the first four steps are the same as docker/app.Dockerfile's: shared cache)
FROM ${NODE_IMAGE} AS build
ENV npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false NG_CLI_ANALYTICS=false
WORKDIR /src
COPY package.json package-lock.json ./
# Building needs no install script. `npm install` only when `npm ci` refuses the lockfile: npm 11 wants entries for
# every platform's optional binaries (@swc/core-darwin-arm64, ...; npm/cli#8805), which some registries cannot serve;
# it installs the same locked versions.
RUN npm ci --ignore-scripts || npm install --ignore-scripts
COPY tsconfig.json nest-cli.json ./
COPY apps/stdio-proxy ./apps/stdio-proxy
# One self-contained file: the MCP SDK is bundled in, no node_modules at run time.
RUN npx nest build stdio-proxy

# --- runtime: Node.js alone (no npm) and the bundle
FROM ${BASE_IMAGE}
COPY --from=build /usr/local/bin/node /usr/local/bin/node
COPY --from=build /src/dist/apps/stdio-proxy/main.js /opt/mcp-router/stdio-proxy.js
ENV NODE_ENV=production
USER nobody
# stdin/stdout carry MCP; logs go to stderr. Exits 0 when stdin closes.
ENTRYPOINT ["node", "/opt/mcp-router/stdio-proxy.js"]
