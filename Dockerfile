# bounced: a multi-stage build. The runtime image has only production dependencies and the
# compiled code, runs as the non-root `node` user, and keeps its database in /data.
# The current Node LTS that better-sqlite3 12 supports (its engines: 20.x … 26.x). CI runs
# the tests on Node 20, the oldest supported; package.json keeps engines at >=20.
FROM node:26-trixie-slim AS build
WORKDIR /app
# better-sqlite3 compiles its native addon here.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json .npmrc ./
RUN npm ci --ignore-scripts && npm rebuild better-sqlite3
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY migrations ./migrations
COPY scripts/bundle.mjs scripts/source-patch-plugin.mjs scripts/imapflow-response-log.mjs scripts/imapflow-fetch-keys.mjs ./scripts/
RUN npm run build && npm prune --omit=dev

FROM node:26-trixie-slim
ENV NODE_ENV=production \
    BOUNCED_DATABASE_URL=/data/bounced.sqlite
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY bin ./bin
COPY config ./config
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
# The HTTP API and /metrics, when BOUNCED_HTTP_LISTEN=0.0.0.0:8025 (off by default).
EXPOSE 8025
# Healthy when the database answers and the last successful scan is younger than
# health.maxScanAgeMinutes (default 30). The first scan runs at start. The check is its own
# process: it sees the container's environment (BOUNCED_CONFIG, BOUNCED_*), not the
# arguments given to `run`, so configure the container with those, never with --config.
HEALTHCHECK --interval=1m --timeout=20s --start-period=2m --retries=3 \
  CMD ["node", "/app/bin/bounced.js", "health"]
# The Node options of bin/bounced.js's first line (the young generation's size, and no GC
# helper threads): a test checks that the two agree.
ENTRYPOINT ["node", "--max-semi-space-size=16", "--single-threaded-gc", "/app/bin/bounced.js"]
CMD ["run"]
