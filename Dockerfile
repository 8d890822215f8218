# syntax=docker/dockerfile:1
# The dashboard as an image: built with the build tools, run distroless as 65532:65532. It passes the dashboard's own
# compliance rules (lib/cli/dashboard-image.test.ts runs `lucid compliance` on this file). Base digests are pinned;
# a bot (Dependabot, Renovate) bumps them, and the Base images page says when they move.
#
#   docker buildx build --platform linux/arm64,linux/amd64 -t pickme/lucid-build-dashboard:1 --push .
#   docker run -p 3000:3000 -v lucid-data:/data pickme/lucid-build-dashboard:1

FROM node:20-bookworm-slim@sha256:2cf067cfed83d5ea958367df9f966191a942351a2df77d6f0193e162b5febfc0 AS build
WORKDIR /app
# better-sqlite3 compiles its native module when no prebuilt one fits the platform.
RUN ["/bin/sh", "-c", "apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*"]
COPY package.json package-lock.json ./
COPY scripts ./scripts
COPY prisma ./prisma
COPY prisma.config.ts ./
RUN ["npm", "ci"]
COPY . .
RUN ["npm", "run", "build"]
RUN ["npm", "prune", "--omit=dev"]

FROM gcr.io/distroless/nodejs20-debian12:nonroot@sha256:2cd820156cf039c8b54ae2d2a97e424b6729070714de8707a6b79f20d56f6a9a
WORKDIR /app
COPY --from=build --chown=65532:65532 /app /app
USER 65532:65532
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 DATABASE_URL=file:/data/lucid.db LUCID_LOG_DIR=/data/logs
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s CMD ["/nodejs/bin/node", "scripts/healthcheck.mjs"]
ENTRYPOINT ["/nodejs/bin/node", "scripts/serve.mjs", "--hostname", "0.0.0.0", "--port", "3000"]
