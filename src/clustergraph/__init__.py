"""clustergraph: a GraphQL knowledge graph of European industrial clusters."""

__version__ = "0.1.0"
