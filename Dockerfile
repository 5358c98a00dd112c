# One image for the four TaskRouter services; the service is chosen by SERVICE or the command:
#   docker build -t open-taskrouter .
#   docker run -e SERVICE=task-ingest -e HOST=0.0.0.0 -p 3000:3000 open-taskrouter
#   docker run open-taskrouter queue-matcher
# The TypeScript sources run directly through SWC (tools/register.js), as with `npm start`, so the
# image needs the dev dependencies (@swc-node/register, @swc/core) and no build step.
# See docs/operations.md.
FROM node:20-bookworm-slim

ENV NODE_ENV=production \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false

WORKDIR /app

# Dependencies first: this layer is rebuilt only when the lock file changes.
COPY package.json package-lock.json ./
RUN npm ci --include=dev \
    && npm cache clean --force

COPY tsconfig.json tsconfig.base.json ./
COPY tools/register.js tools/register.js
COPY tools/stack/docker-entrypoint.sh tools/stack/docker-entrypoint.sh
COPY libs libs
COPY apps apps

# The node image's unprivileged user (uid 1000); the app files stay root-owned and read-only to it.
USER node

# task-ingest's HTTP port (the other services listen on nothing).
EXPOSE 3000
ENV HOST=0.0.0.0 \
    PORT=3000

# Through sh, so the script needs no executable bit in the build context.
ENTRYPOINT ["/bin/sh", "/app/tools/stack/docker-entrypoint.sh"]
CMD []
