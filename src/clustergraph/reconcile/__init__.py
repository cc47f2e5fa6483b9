"""The W3C Entity Reconciliation API (version 0.2, as OpenRefine 3.x speaks it) at /reconcile.

`names` turns a name as a list spells it into comparable words, `score` ranks the graph's
candidates for one query and says when a match is sure, `protocol` reads the requests and
writes the answers, `service` asks the graph (through `clustergraph.cypher.reconcile`),
`http` serves it all. Read-only: nothing here writes to the graph.
"""
