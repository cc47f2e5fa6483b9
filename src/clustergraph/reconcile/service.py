"""The answers of the reconciliation API, from the graph (`cypher.reconcile`) and the scorer."""

from __future__ import annotations

import html
from typing import Any

from clustergraph.cypher import reconcile as cypher
from clustergraph.errors import NotFound
from clustergraph.folding import fold
from clustergraph.graph.db import Graph
from clustergraph.model import Kind
from clustergraph.reconcile.names import raw_words, words
from clustergraph.reconcile.protocol import KINDS, QUERY_PROPERTIES, Extension, Query
from clustergraph.reconcile.score import Candidate, Scored, rank

# Full-text hits read per query before the kind filter, and candidates scored per query.
SCAN, PER_QUERY = 100, 30
MAX_TERMS = 12
SUGGEST_LIMIT = 10

# What data extension offers: id -> (name, the type of its values or None for literals).
EXTEND_PROPERTIES: dict[str, tuple[str, str | None]] = {
    "country": ("Country", Kind.COUNTRY.value),
    "region": ("Region", Kind.REGION.value),
    "city": ("City", Kind.CITY.value),
    "acronym": ("Acronym", None),
    "partnerCount": ("Partner count", None),
    "projects": ("Projects", Kind.PROJECT.value),
}

# The kinds offered as default types: those a list of partners or members names.
DEFAULT_TYPES = tuple(k.value for k in Kind if k is not Kind.SOURCE)

KEY_SHAPE = "abcdefghijklmnopqrstuvwxyz0123456789-:"


def _fuzzy(term: str) -> str:
    return f"{term}~1" if len(term) < 8 else f"{term}~2"


def name_lucene(text: str) -> str | None:
    """The full-text query that finds a name's candidates: every word, near misses of long
    words, the stem of inflected ones; over the name and the other names and aliases."""
    raw = raw_words(text)
    # A name of a few short words ("AT+R") keeps its one-letter words; split names
    # ("Clu-Strat") are also looked for as one word.
    shortest = 1 if len(raw) <= 3 else 2
    joined = ["".join(raw)] if 2 <= len(raw) <= 3 else []
    terms: list[str] = []
    for word in (*words(text).words, *raw, *joined):
        if len(word) >= shortest and word not in terms:
            terms.append(word)
    terms = terms[:MAX_TERMS]
    if not terms:
        return None
    clauses = []
    for term in terms:
        clauses.append(term)
        if len(term) >= 5 and not term.isdigit():
            clauses.append(_fuzzy(term))
        if len(term) >= 7:
            clauses.append(f"{term[:5]}*")
    inner = " ".join(clauses)
    return f"name:({inner}) OR searchText:({inner})"


def _key_of(text: str) -> str | None:
    looks = ":" in text and all(c in KEY_SHAPE for c in text)
    return text if looks else None


def _unlocalized(names: list[str]) -> tuple[str, ...]:
    # Localized names are "lang:value"; a place is compared by its value.
    return tuple(dict.fromkeys(n.split(":", 1)[1] if ":" in n[:4] else n for n in names if n))


def candidate(row: dict[str, Any]) -> Candidate:
    return Candidate(
        key=row["key"],
        kind=row["kind"] or "",
        name=row["name"] or row["key"],
        names=tuple(row["names"]),
        aliases=tuple(row["aliases"]),
        acronym=row["acronym"],
        country=row["country"],
        description=row["description"],
        merged_keys=tuple(row["mergedKeys"]),
        country_names=_unlocalized(row["countryNames"]),
        region_names=_unlocalized(row["regionNames"]),
        city_names=_unlocalized(row["cityNames"]),
    )


def _description(c: Candidate) -> str:
    where = [p for p in (c.city_names[:1] + c.region_names[:1]) if p]
    if c.country:
        where.append(c.country)
    return f"{c.kind}" + (f" · {', '.join(where)}" if where else "")


def result(s: Scored) -> dict[str, Any]:
    c = s.candidate
    return {
        "id": c.key,
        "name": c.name,
        "description": _description(c),
        "score": round(s.score * 100, 1),
        "match": s.match,
        "type": [{"id": c.kind, "name": c.kind}],
        "features": [
            {"id": "name", "value": round(s.name * 100, 1)},
            {"id": "properties_agreeing", "value": len(s.agreed)},
            {"id": "properties_disagreeing", "value": len(s.disagreed)},
        ],
    }


async def reconcile(graph: Graph, queries: list[Query]) -> dict[str, Any]:
    """`{qid: {"result": [...]}}` for a batch, in one read."""
    params = [
        {
            "id": q.id,
            "lucene": name_lucene(q.text),
            "key": _key_of(q.text),
            "kinds": list(q.kinds) if q.kinds else None,
        }
        for q in queries
    ]
    rows = await graph.read(cypher.CANDIDATES, {"queries": params, "scan": SCAN, "per_query": PER_QUERY})
    found = {row["id"]: [candidate(c) for c in row["candidates"]] for row in rows}
    answers: dict[str, Any] = {}
    for q in queries:
        ranked = rank(q.text, list(q.properties), found.get(q.id, []))
        answers[q.id] = {"result": [result(s) for s in ranked[: q.limit] if s.score > 0]}
    return answers


def prefix_lucene(prefix: str) -> str | None:
    terms = [w for w in raw_words(prefix) if w]
    if not terms:
        return None
    required = " ".join(f"+{t}" for t in terms[:-1]) + f" +{terms[-1]}*"
    return f"name:({required.strip()}) OR searchText:({required.strip()})"


async def suggest_entities(graph: Graph, prefix: str, kinds: tuple[str, ...] | None) -> dict[str, Any]:
    lucene = prefix_lucene(prefix)
    if lucene is None:
        return {"result": []}
    rows = await graph.read(
        cypher.SUGGEST_ENTITIES,
        {"lucene": lucene, "scan": SCAN, "kinds": list(kinds) if kinds else None, "limit": SUGGEST_LIMIT},
    )
    return {
        "result": [
            {
                "id": r["key"],
                "name": r["name"] or r["key"],
                "description": r["kind"] + (f" · {r['country']}" if r["country"] else ""),
                "notable": [{"id": r["kind"], "name": r["kind"]}],
            }
            for r in rows
        ]
    }


def _starts(prefix: str, *texts: str) -> bool:
    p = fold(prefix.strip())
    return any(fold(t).startswith(p) or f" {p}" in fold(t) for t in texts)


def suggest_types(prefix: str) -> dict[str, Any]:
    return {"result": [{"id": k, "name": k} for k in KINDS if _starts(prefix, k)]}


def _all_properties() -> dict[str, tuple[str, str]]:
    offered = {pid: (name, desc) for pid, (name, desc) in QUERY_PROPERTIES.items()}
    for pid, (name, _) in EXTEND_PROPERTIES.items():
        offered.setdefault(pid, (name, f"{name.lower()} (data extension)"))
    return offered


def suggest_properties(prefix: str) -> dict[str, Any]:
    return {
        "result": [
            {"id": pid, "name": name, "description": desc}
            for pid, (name, desc) in _all_properties().items()
            if _starts(prefix, pid, name)
        ]
    }


def propose_properties(kind: str | None, limit: int | None) -> dict[str, Any]:
    props = [{"id": pid, "name": name} for pid, (name, _) in EXTEND_PROPERTIES.items()]
    answer: dict[str, Any] = {"properties": props[:limit] if limit else props}
    if kind:
        answer["type"] = kind
    if limit:
        answer["limit"] = limit
    return answer


def _refs(values: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"id": v["key"], "name": v["name"] or v["key"]} for v in values if v.get("key")]


async def extend(graph: Graph, ext: Extension) -> dict[str, Any]:
    rows = await graph.read(cypher.EXTEND, {"keys": list(dict.fromkeys(ext.ids))})
    by_id = {r["asked"]: r for r in rows}
    meta = []
    for pid in ext.properties:
        name, kind = EXTEND_PROPERTIES[pid]
        meta.append({"id": pid, "name": name, **({"type": {"id": kind, "name": kind}} if kind else {})})
    out: dict[str, Any] = {}
    for asked in ext.ids:
        row = by_id.get(asked)
        out[asked] = {pid: _values(pid, row) if row else [] for pid in ext.properties}
    return {"meta": meta, "rows": out}


def _values(pid: str, row: dict[str, Any]) -> list[dict[str, Any]]:
    if pid == "country":
        return _refs(row["countries"])
    if pid == "region":
        return _refs(row["regions"])
    if pid == "city":
        return _refs(row["cities"])
    if pid == "projects":
        return _refs(row["projects"])
    if pid == "acronym":
        return [{"str": row["acronym"]}] if row["acronym"] else []
    return [{"int": int(row["partners"])}]


async def preview(graph: Graph, key: str, explore_url: str) -> str:
    """A small HTML card of the entity: every value escaped."""
    rows = await graph.read(cypher.PREVIEW, {"key": key})
    if not rows:
        raise NotFound(f"no entity with id {key!r}")
    c, projects = candidate(rows[0]["entity"]), rows[0]["projects"]
    e = html.escape
    lines = [f"<strong>{e(c.name)}</strong> <small>{e(c.kind)}</small>"]
    where = ", ".join(e(p) for p in (*c.city_names[:1], *c.region_names[:1], *c.country_names[:1]) if p)
    if where:
        lines.append(f"<div>{where}</div>")
    others = [v for v in c.variants()[1:] if v != c.name]
    if others:
        lines.append(f"<div><em>also</em> {e('; '.join(dict.fromkeys(others)))}</div>")
    if projects:
        lines.append(f"<div><em>partner in</em> {e(', '.join(projects))}</div>")
    link = e(explore_url, quote=True)
    lines.append(f'<div><a href="{link}" target="_blank" rel="noopener">{e(c.key)}</a></div>')
    body = "\n".join(lines)
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>'
        f"{e(c.name)}</title><style>body{{font:13px sans-serif;margin:6px}}div{{margin-top:3px}}"
        f"</style></head><body>\n{body}\n</body></html>"
    )
