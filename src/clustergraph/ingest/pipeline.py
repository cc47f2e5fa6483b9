"""An article read: its sentences, the entities it links and what it proposes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from clustergraph.ingest import proposer
from clustergraph.ingest.document import Article
from clustergraph.ingest.linker import Mention, NameIndex, link
from clustergraph.ingest.proposer import Proposal
from clustergraph.ingest.text import sentences, tokens


@dataclass(frozen=True)
class Analysis:
    article: Article
    mentions: list[Mention]
    proposals: list[Proposal]

    @property
    def linked(self) -> set[str]:
        return {m.key for m in self.mentions}


def analyse(
    article: Article, names: Iterable[dict[str, Any]], existing: set[tuple[str, str, str]]
) -> Analysis:
    """Link the article to the graph's `names`; propose what `existing` relationships do not hold."""
    text, language = article.text, article.language
    index = NameIndex(names, language)
    found = sentences(text)
    toks = tokens(text, language)
    mentions = link(text, language, found, index)
    rels = [
        p
        for p in proposer.relationships(found, toks, mentions)
        if (p.rel, p.from_key, p.to_key) not in existing
    ]
    return Analysis(article, mentions, [*proposer.entities(found, toks, mentions, language), *rels])
