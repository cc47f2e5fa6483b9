"""Running a GraphQL request: the compile stage (`compile`), binding variables (`bind`), the cost
bound (`cost`, `limits`), the compiled read path that runs each planned root field as one
Cypher read (`run`) and shapes its rows (`shape`), the policies every operation passes once
(`policies`, `permissions`, `extensions`) and the GraphQL errors it reports (`errors`).

May import `curation`, `live`, `auth`, `translate`, `graph`, `cypher` and the foundation;
never `schema` (it receives the field model), `http`, `web`, `app` or `cli`.
"""
