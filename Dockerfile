# The crosstalk relay image: docker compose up -d (see docs/DEPLOY.md).
#
# Two stages: "build" installs every dependency and compiles the TypeScript; "runtime" holds only
# production dependencies and the compiled dist/ of each package, and runs as the unprivileged
# "node" user with its data on the /data volume.

ARG NODE_IMAGE=node:20-bookworm-slim

# ---------------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /src

# Manifests first, so the dependency layer is reused until they change.
COPY package.json package-lock.json tsconfig.base.json ./
COPY packages/core/package.json packages/core/
COPY packages/client/package.json packages/client/
COPY packages/relay/package.json packages/relay/
COPY packages/agent/package.json packages/agent/
COPY packages/web/package.json packages/web/
COPY packages/cli/package.json packages/cli/
# --ignore-scripts: the workspace's "prepare" would build before the sources are here.
RUN npm ci --ignore-scripts --no-audit --no-fund

COPY packages/ packages/
RUN npm run build \
 && chmod 0755 packages/cli/dist/bundle/bin.js

# ---------------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app

COPY package.json package-lock.json ./
COPY packages/core/package.json packages/core/
COPY packages/client/package.json packages/client/
COPY packages/relay/package.json packages/relay/
COPY packages/agent/package.json packages/agent/
COPY packages/web/package.json packages/web/
COPY packages/cli/package.json packages/cli/
# Production dependencies only; the optional ones serve Windows consoles, not a relay.
RUN npm ci --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund \
 && npm cache clean --force

COPY --from=build /src/packages/core/dist packages/core/dist
COPY --from=build /src/packages/client/dist packages/client/dist
COPY --from=build /src/packages/relay/dist packages/relay/dist
COPY --from=build /src/packages/agent/dist packages/agent/dist
COPY --from=build /src/packages/web/dist packages/web/dist
COPY --from=build /src/packages/cli/dist packages/cli/dist
COPY deploy/healthcheck.mjs deploy/healthcheck.mjs

# `crosstalk` on PATH. The relay's default data dir (~/.crosstalk/relay) points at the volume, so
# `docker compose exec relay crosstalk relay invite` finds the admin key without --data-dir.
RUN ln -s /app/packages/cli/dist/bundle/bin.js /usr/local/bin/crosstalk \
 && mkdir -p /data /home/node/.crosstalk \
 && ln -s /data /home/node/.crosstalk/relay \
 && chown node:node /data /home/node/.crosstalk

USER node
VOLUME /data
EXPOSE 7717

# No curl in the image: a few lines of node ask GET /v1/health.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "/app/deploy/healthcheck.mjs"]

# The relay flushes its log and exits on SIGTERM.
STOPSIGNAL SIGTERM
CMD ["crosstalk", "relay", "serve", "--host", "0.0.0.0", "--port", "7717", "--data-dir", "/data"]
