"""The graph written for other tools: networkx graphs in the visualisation formats (`formats`),
the whole graph as JSON Lines in the import format (`jsonl`) and the explorer's view (`view`).

May import `importer`, `graph`, `cypher` and the foundation.
"""
