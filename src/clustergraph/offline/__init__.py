"""The offline bulk import: a first load into an empty database through neo4j-admin.

`clustergraph import --offline` validates the files as the online import does, writes
what the online import would write (entities, provenance, relationships, the change log)
as neo4j-admin's CSV files, stops the managed server, runs `neo4j-admin database import
full` from the same Neo4j distribution, starts the server again and applies the schema.
"""
