# syntax=docker/dockerfile:1
# Debian bookworm: the native uWebSockets.js binary needs glibc >= 2.36 (bookworm has 2.36).
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY config ./config
COPY server ./server
COPY client-widget ./client-widget
RUN npm run build

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM ${NODE_IMAGE}
ENV NODE_ENV=production
# One node process per core of the container on the redis engine (node:cluster; uWS shares the
# realtime port across them); one process on the memory engine. WORKERS=1 or a number to choose.
ENV WORKERS=auto
# The operator port (/metrics, /admin/queues) listens on the container's interface for the
# scraper next to it; it is not EXPOSEd: publish 9000 and 8080 only.
ENV ADMIN_HOST=0.0.0.0
WORKDIR /app
COPY --from=deps --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
# The widget bundles, for brands that serve them from this image.
COPY --from=build --chown=node:node /app/client-widget/dist ./client-widget/dist
COPY --chown=node:node package.json ./
USER node
# 9000: WebSocket (/v1/ws) and socket.io; 8080: HTTP API, /healthz. (8090, the operator port, stays private.)
EXPOSE 9000 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.HTTP_PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
STOPSIGNAL SIGTERM
CMD ["node", "dist/server/main.js"]
