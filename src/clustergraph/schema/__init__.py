"""The GraphQL schema: plain typed Strawberry classes (`types`, `results`), the root fields
(`query`, `mutation`, `subscription`, `history`, `ingest`), the descriptions they share
(`docs`), the field model read by the planner and the shaper (`field_model`), and the built
schema with its extensions (`build`, exported as SDL to schema/schema.graphql).

May import `execution` and every layer below; never `http`, `web`, `app` or `cli`.
"""
