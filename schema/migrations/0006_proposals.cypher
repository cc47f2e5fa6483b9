// Ingested articles, by the key of their Source; their proposals by id, by article and fact, by status.
CREATE CONSTRAINT article_key IF NOT EXISTS FOR (a:Article) REQUIRE a.key IS UNIQUE;
CREATE CONSTRAINT proposal_id IF NOT EXISTS FOR (p:Proposal) REQUIRE p.id IS UNIQUE;
CREATE CONSTRAINT proposal_fact IF NOT EXISTS FOR (p:Proposal) REQUIRE (p.article, p.signature) IS UNIQUE;
CREATE INDEX proposal_status IF NOT EXISTS FOR (p:Proposal) ON (p.status);
