"""A deterministic synthetic European cluster network, for benchmarks and load tests.

Countries are the 27 EU member states with their real ISO codes; everything below them
(NUTS-like regions, cities, clusters, organisations, people, projects, events,
meta-clusters) is invented: names and region codes are generated, not real ones, and
every node and relationship carries `synthetic: true`, stated by one synthetic Source.
"""
