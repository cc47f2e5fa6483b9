"""How much of an article the service reads, and for how long it waits for one.

Apart from `document` so that the schema can state the bounds without loading the
article libraries (trafilatura, lingua), which load on the first ingestion.
"""

from __future__ import annotations

MAX_BYTES = 5 * 1024 * 1024  # an article is far smaller; larger input is refused unread
FETCH_TIMEOUT = 15.0
