# Bereik beside Asterisk. Build: docker build -t bereik .   Run: docker run -p 3000:3000 \
#   -e BEREIK_ARI_URL=http://asterisk:8088 -e BEREIK_ARI_USER=bereik -e BEREIK_ARI_PASSWORD=... bereik
# Without BEREIK_ARI_URL it runs on the built-in simulated Asterisk.
FROM node:20-bookworm-slim AS deps
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
# better-sqlite3 compiles from source here; dev dependencies (TypeScript, types, playwright) are left out.
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends espeak-ng sox tini && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY . .
ENV BEREIK_HTTP_HOST=0.0.0.0 BEREIK_DB_PATH=/data/bereik.sqlite NODE_ENV=production
RUN mkdir -p /data && chown node:node /data
VOLUME /data
EXPOSE 3000
USER node
# tini forwards SIGTERM so Bereik shuts down cleanly (stops dialling, finishes writes, closes the store).
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "bin/bereik.mjs", "serve"]
