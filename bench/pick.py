"""Choosing the keys the requests ask about, from the loaded synthetic network.

Deterministic (ordered by key), and chosen so each request does real work: a cluster
with at least 20 members, an organisation that leads a transnational project, an
organisation in another country exactly four partnership hops away.
"""

from __future__ import annotations

from neo4j import Driver

CLUSTER = """
MATCH (c:Cluster) WHERE COUNT { (c)<-[:MEMBER_OF]-(:Organisation) } >= 20
RETURN c.key AS key ORDER BY key LIMIT 1
"""

ORGANISATION = """
MATCH (o:Organisation)-[:PARTNER_IN {role: 'lead'}]->(p:Project)
WHERE COUNT { (p)<-[:PARTNER_IN]-() } >= 8
  AND COUNT { (p)<-[:PARTNER_IN]-(x) WHERE x.country <> o.country } >= 3
RETURN o.key AS key, o.name AS name ORDER BY key LIMIT 1
"""

FAR = """
MATCH (a:Organisation {key: $key})-[:PARTNER_IN]->(:Project)<-[:PARTNER_IN]-(m:Organisation)
      -[:PARTNER_IN]->(:Project)<-[:PARTNER_IN]-(b:Organisation)
WHERE b <> a AND b.country <> a.country AND m.country <> a.country
  AND NOT EXISTS { (a)-[:PARTNER_IN]->(:Project)<-[:PARTNER_IN]-(b) }
RETURN b.key AS key ORDER BY key LIMIT 1
"""

SECTOR = "MATCH (s:Sector) RETURN s.key AS key ORDER BY key LIMIT 1"


def pick(driver: Driver, database: str = "neo4j") -> dict[str, str]:
    def one(cypher: str, **params: str) -> dict[str, str]:
        records, _, _ = driver.execute_query(cypher, params, database_=database)
        if not records:
            raise RuntimeError(f"no key found by: {cypher.strip().splitlines()[0]}")
        return dict(records[0])

    org = one(ORGANISATION)
    return {
        "cluster": one(CLUSTER)["key"],
        "organisation": org["key"],
        "far": one(FAR, key=org["key"])["key"],
        "sector": one(SECTOR)["key"],
        "search": org["name"].split()[0],
    }
