"""The graph's version: a token every write changes, so cached answers can be revalidated.

It lives on one `GraphState` node (not an `Entity`, so no read, search or export sees
it). A fresh random token per write (rather than a counter) keeps a graph that was
emptied and loaded again from reusing a token an old cached answer still carries.
"""

from __future__ import annotations

from typing import LiteralString

READ_VERSION: LiteralString = """
OPTIONAL MATCH (s:GraphState {id: 'graph'})
RETURN s.version AS version, toString(s.changedAt) AS changedAt
"""

BUMP_VERSION: LiteralString = """
MERGE (s:GraphState {id: 'graph'})
SET s.version = randomUUID(), s.changedAt = datetime()
RETURN s.version AS version, toString(s.changedAt) AS changedAt
"""
