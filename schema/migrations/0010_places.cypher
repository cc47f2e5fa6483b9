// The reference places of `clustergraph places load`: a NUTS code names one region (the
// same code in NUTS 2021 and 2024 is one node), a GeoNames id one city. The `regions:`
// filters and the load find regions by code, the load finds cities by GeoNames id.
CREATE CONSTRAINT region_nuts_code IF NOT EXISTS FOR (n:Region) REQUIRE n.nutsCode IS UNIQUE;
CREATE CONSTRAINT city_geoname_id IF NOT EXISTS FOR (n:City) REQUIRE n.geonameId IS UNIQUE;
CREATE INDEX region_nuts_level IF NOT EXISTS FOR (n:Region) ON (n.nutsLevel);
