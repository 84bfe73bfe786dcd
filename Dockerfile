# Bereik beside Asterisk. Build: docker build -t bereik .   Run: docker run -p 3000:3000 \
#   -e BEREIK_ARI_URL=http://asterisk:8088 -e BEREIK_ARI_USER=bereik -e BEREIK_ARI_PASSWORD=... bereik
# Without BEREIK_ARI_URL it runs on the built-in simulated Asterisk.
FROM node:20-bookworm-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
# better-sqlite3 compiles from source; the TypeScript compiler is a dev dependency, used here only.
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends espeak-ng sox tini && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# Production runs the compiled JavaScript in dist/ (bin/bereik.mjs picks it); no tsx, no TypeScript.
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY bin ./bin
COPY config ./config
COPY prompts ./prompts
COPY dialplans ./dialplans
ENV BEREIK_HTTP_HOST=0.0.0.0 BEREIK_DB_PATH=/data/bereik.sqlite NODE_ENV=production
RUN mkdir -p /data && chown node:node /data
VOLUME /data
EXPOSE 3000
USER node
# tini forwards SIGTERM so Bereik shuts down cleanly (stops dialling, finishes writes, closes the store).
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "bin/bereik.mjs", "serve"]
