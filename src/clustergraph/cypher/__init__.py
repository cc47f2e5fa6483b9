"""The Cypher layer: every query the service sends to Neo4j is built in this package.

Labels, relationship types and property names are taken only from
`clustergraph.model`; values always travel as parameters.
"""
