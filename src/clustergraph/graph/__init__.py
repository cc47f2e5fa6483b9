"""The graph as a store: the async driver (`db`), the schema migrations (`migrations`), the
graph's version (`version`), where the graph lives (`location`) and the local Neo4j server
the project runs itself (`neo4j_local`).

May import `cypher` and the foundation only.
"""
