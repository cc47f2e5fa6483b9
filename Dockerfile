# The service image; Neo4j runs in its own container (docker-compose.yml).
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY src ./src
COPY schema ./schema
COPY seed ./seed
# Editable, so the package finds schema/ and seed/ beside src/.
RUN pip install --no-cache-dir -e .
EXPOSE 8000
CMD ["clustergraph", "serve"]
