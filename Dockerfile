# The service image; Neo4j runs in its own container (docker-compose.yml).
FROM node:20-slim AS web
WORKDIR /app/web
COPY web/package.json web/package-lock.json ./
RUN npm ci --no-audit --no-fund
# The explorer and the widget; the widget's build reads the hash of its persisted query.
COPY web/build.mjs ./
COPY web/src ./src
COPY src/clustergraph/http/persisted /app/src/clustergraph/http/persisted
RUN npm run build

FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY src ./src
COPY schema ./schema
COPY seed ./seed
COPY --from=web /app/web/node_modules ./web/node_modules
COPY --from=web /app/web/dist ./web/dist
# Editable, so the package finds schema/, seed/ and web/ beside src/.
RUN pip install --no-cache-dir -e .
EXPOSE 8000
CMD ["clustergraph", "serve"]
