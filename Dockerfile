# The server's image: `serve` (API) or `worker` (docker-compose.yml runs replicas of both).
# The user's project (langgraph.json and graphs) is mounted at /app/project.
FROM node:20-bookworm-slim AS dependencies
WORKDIR /app
# better-sqlite3 compiles from source when no prebuilt binary fits.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm install --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
WORKDIR /app
COPY --from=dependencies /app/node_modules ./node_modules
COPY package.json tsconfig.json ./
COPY bin ./bin
COPY src ./src
COPY startup ./startup
COPY server ./server
COPY workflows ./workflows
COPY activities ./activities
COPY examples ./examples
# The SQLite default needs a writable data folder when DATABASE_URL is not set.
RUN mkdir .data && chown node:node .data
USER node
ENTRYPOINT ["node", "bin/langgraph-temporal.js"]
CMD ["serve"]
