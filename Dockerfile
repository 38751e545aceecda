# Sinergi worker and API. Multi-stage: dependencies and the workflow bundle are built once; the runtime runs as
# the unprivileged `node` user. The same image serves both (the compose file picks the command).
FROM node:20.19.5-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npx tsc --noEmit && npx tsx scripts/bundle-workflows.ts /app/dist/workflow-bundle.js && npm prune --omit=dev

FROM node:20.19.5-bookworm-slim AS runtime
ENV NODE_ENV=production HOST=0.0.0.0 PORT=8080 WORKFLOW_BUNDLE_PATH=/app/dist/workflow-bundle.js
WORKDIR /app
COPY --from=build --chown=node:node /app /app
USER node
EXPOSE 8080 9464
HEALTHCHECK --interval=10s --timeout=3s --retries=5 CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
CMD ["node", "--import", "tsx", "api/main.ts"]
