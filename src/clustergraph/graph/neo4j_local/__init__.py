"""Running a real Neo4j Community server without Docker."""

from clustergraph.graph.neo4j_local.server import NEO4J_VERSION, LocalServer, Neo4jLocalError

__all__ = ["NEO4J_VERSION", "LocalServer", "Neo4jLocalError"]
