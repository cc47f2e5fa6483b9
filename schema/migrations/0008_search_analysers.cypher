// Search asks three full-text indexes and adds their scores (see schema/MODEL.md, "Search").
// `entity_names` (0003, standard-folding) finds names typed without diacritics and drops
// English stop words. This one keeps diacritics and every word: a prefix typed with
// diacritics ("śląsk") finds here only, and the whole name with its stop words
// ("Upper Austrian Chamber of Commerce") matches here as an exact phrase.
// The properties are listed in the other order on purpose: to Neo4j a second full-text
// index on the same properties in the same order is the first one again, and
// IF NOT EXISTS would skip it without a word.
CREATE FULLTEXT INDEX entity_names_exact IF NOT EXISTS
FOR (n:Entity) ON EACH [n.searchText, n.name]
OPTIONS {indexConfig: {`fulltext.analyzer`: 'standard-no-stop-words', `fulltext.eventually_consistent`: false}};
// Descriptions and editors' English glosses, stemmed ("transplant" finds "transplantation").
CREATE FULLTEXT INDEX entity_descriptions IF NOT EXISTS
FOR (n:Entity) ON EACH [n.description]
OPTIONS {indexConfig: {`fulltext.analyzer`: 'english', `fulltext.eventually_consistent`: false}};
