# Image for the server and the external-task workers (one image, two commands; see docker-compose.yml).
# The engine is not built here: it runs from the operaton/operaton image.
FROM node:20-bookworm-slim

WORKDIR /app

# We run TypeScript directly with tsx, a devDependency, so `npm ci --omit=dev` cannot work:
# install everything. --include=dev keeps that true even if NODE_ENV=production is passed at build time.
COPY package.json package-lock.json ./
RUN npm ci --include=dev --no-audit --no-fund \
 && npm cache clean --force

# Only what the server and the workers load at run time (processes/ is deployed by the server over REST).
COPY tsconfig.json ./
COPY types/ types/
COPY config/ config/
COPY domain/ domain/
COPY store/ store/
COPY workers/ workers/
COPY server/ server/
COPY processes/ processes/
COPY scripts/lib/ scripts/lib/

ENV NODE_ENV=production \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false

# Files stay owned by root (read-only for the app); the processes run as the image's unprivileged user.
USER node

EXPOSE 3000
# docker-compose.yml overrides the command for the workers: npx tsx workers/index.ts
CMD ["npx", "tsx", "server/main.ts"]
