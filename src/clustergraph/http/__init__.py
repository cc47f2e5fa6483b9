"""Transport: GraphQL over HTTP (`graphql`) and WebSocket (`live_ws`), content negotiation,
persisted and cacheable GET, bookmarks, rate limits, CORS, slow-client bounds and GraphiQL.

May import `schema`, `execution` and every layer below; never `app`, `cli` or `web`.
"""
