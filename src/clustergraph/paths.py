"""Where the project's own files are: the schema migrations and the seed data."""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SCHEMA_DIR = PROJECT_ROOT / "schema"
MIGRATIONS_DIR = SCHEMA_DIR / "migrations"
SDL_FILE = SCHEMA_DIR / "schema.graphql"
MODEL_FILE = SCHEMA_DIR / "MODEL.md"
SEED_DIR = PROJECT_ROOT / "seed"
