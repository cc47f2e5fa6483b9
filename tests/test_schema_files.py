"""The checked-in SDL and data-model document are generated from the code, never edited apart."""

from clustergraph.model_doc import model_markdown
from clustergraph.paths import MODEL_FILE, SDL_FILE
from clustergraph.schema.build import sdl


def test_checked_in_sdl_matches_the_code() -> None:
    assert SDL_FILE.read_text(encoding="utf-8") == sdl(), "run `clustergraph export-schema`"


def test_checked_in_data_model_matches_the_code() -> None:
    assert MODEL_FILE.read_text(encoding="utf-8") == model_markdown(), "run `clustergraph export-schema`"
