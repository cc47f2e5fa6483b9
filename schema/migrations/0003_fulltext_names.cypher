// Ranked search over names, localized names and aliases. The standard-folding analyzer
// folds case and diacritics ("skalacka" finds "Skałacka", "ustí" finds "Ústí").
CREATE FULLTEXT INDEX entity_names IF NOT EXISTS
FOR (n:Entity) ON EACH [n.name, n.searchText]
OPTIONS {indexConfig: {`fulltext.analyzer`: 'standard-folding', `fulltext.eventually_consistent`: false}};
