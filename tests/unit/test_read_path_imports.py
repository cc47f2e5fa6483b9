"""The service's read path and the schema load no article-ingestion library (issue 25, points 4 and 8).

trafilatura and lingua load on the first `ingestArticle`; a process that serves reads,
and this fast test tier, never pay for them."""

from __future__ import annotations

import subprocess
import sys

INGESTION_LIBRARIES = ("trafilatura", "lingua", "simplemma", "justext", "htmldate")


def test_the_app_and_its_schema_load_no_ingestion_library() -> None:
    probe = (
        "import sys\n"
        "from clustergraph.app import create_app\n"
        "from clustergraph.schema.build import build_schema\n"
        "build_schema(); create_app()\n"
        f"print(','.join(m for m in {INGESTION_LIBRARIES!r} if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True
    )
    assert done.stdout.strip() == "", f"loaded by the read path: {done.stdout.strip()}"
