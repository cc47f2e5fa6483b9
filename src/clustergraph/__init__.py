"""clustergraph: a GraphQL knowledge graph of European industrial clusters.

The package in layers, from the top down; a module imports only from its own layer or the
layers below it (tests/unit/test_layers.py holds the same list and checks every import):

1. `app`, `cli`: where everything is put together.
2. `http`, `web`, `reconcile`: transport (GraphQL over HTTP and WebSocket, negotiation, persisted and
   cached GET, rate limits, CORS), the service's own pages and export endpoints, and the
   W3C reconciliation service OpenRefine speaks to.
3. `schema`: the GraphQL schema as plain Strawberry classes, their descriptions, the field model.
4. `execution`: compile, bind, cost, run and shape a request; the policies every operation passes.
5. `curation`, `importer`, `offline`, `places`, `ingest`, `live`, `auth`, `exporting`: what the
   service does besides reading (`places` loads the NUTS regions and cities).
6. `translate`: a request's selection planned into what to fetch (plan nodes).
7. `graph`: the Neo4j driver, migrations, the graph's version, where the graph lives.
8. `cypher`: the text of every Cypher query, names taken only from `model`.
9. `errors`, `model`, `settings`, `values`, `folding`, `paths`, `metrics`, `observe`,
   `client_address`, `model_doc`: what every layer may use.

Tools the service never runs (the synthetic network, the load test) are the separate package
`clustergraph_tools`, imported only by the command line.
"""

__version__ = "0.1.0"
