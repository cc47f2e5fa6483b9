"""The explorer's article view: an ingested article's text with its proposals highlighted.

The page asks GraphQL for the article with an editor's API key that the curator pastes (kept for
the tab only, in sessionStorage): proposals are not yet facts, so they are for editors only.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from clustergraph.http.csp import HTML_SECURITY_HEADERS, policy_for

ARTICLE_HTML = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>clustergraph · article</title>
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <style>
    body { font: 16px/1.55 system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; }
    #text { white-space: pre-wrap; border: 1px solid #ddd; padding: 1rem; border-radius: 6px; }
    mark { background: #fff3b0; border-bottom: 2px solid #e0b000; padding: 0 1px; cursor: pointer; }
    mark.entity { background: #d7f0ff; border-bottom-color: #2b8fd6; }
    mark[data-depth="2"] { background: #ffe27a; }
    mark[data-depth="3"] { background: #ffd04a; }
    mark.active { outline: 2px solid #d33; }
    #proposals li { margin: .3rem 0; cursor: pointer; }
    #proposals li.active { background: #fde; }
    .status { font-size: .8em; padding: 0 .3em; border-radius: 3px; background: #eee; }
    .error { color: #b00; }
  </style>
</head>
<body>
  <h1 id="title">Article</h1>
  <form id="login">
    <label>Editor API key <input id="token" type="password" autocomplete="off" size="40"></label>
    <button type="submit">Show</button>
  </form>
  <p id="meta"></p>
  <div id="text"></div>
  <h2>Proposals</h2>
  <ol id="proposals"></ol>
  <script>
(() => {
  const key = new URLSearchParams(location.search).get('key') || '';
  const QUERY = `query($key: String!) { article(key: $key) { key title url language date text
    proposals(status: null) { id status kind entityKind name rel from to start end text confidence } } }`;
  const el = (tag, props = {}, text = '') => {
    const node = Object.assign(document.createElement(tag), props);
    if (text) node.textContent = text;
    return node;
  };
  const label = (p) => p.kind === 'entity'
    ? `new ${p.entityKind}: ${p.name}` : `${p.from} ${p.rel} ${p.to}`;

  function highlight(text, proposals) {
    const cuts = new Set([0, text.length]);
    for (const p of proposals) { cuts.add(p.start); cuts.add(p.end); }
    const points = [...cuts].sort((a, b) => a - b);
    const box = document.getElementById('text');
    box.replaceChildren();
    for (let i = 0; i + 1 < points.length; i++) {
      const [from, to] = [points[i], points[i + 1]];
      const piece = text.slice(from, to);
      const covering = proposals.filter((p) => p.start <= from && to <= p.end);
      if (!covering.length) { box.append(piece); continue; }
      const mark = el('mark', {}, piece);
      mark.dataset.proposals = covering.map((p) => p.id).join(' ');
      mark.dataset.depth = String(Math.min(covering.length, 3));
      if (covering.every((p) => p.kind === 'entity')) mark.classList.add('entity');
      mark.title = covering.map(label).join('\\n');
      mark.addEventListener('click', () => select(covering[0].id));
      box.append(mark);
    }
  }

  function select(id) {
    for (const node of document.querySelectorAll('.active')) node.classList.remove('active');
    for (const node of document.querySelectorAll('mark[data-proposals]')) {
      if (node.dataset.proposals.split(' ').includes(id)) node.classList.add('active');
    }
    document.querySelector(`#proposals li[data-id="${id}"]`)?.classList.add('active');
  }

  async function show(token) {
    const response = await fetch('/graphql', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: QUERY, variables: { key } }),
    });
    const body = await response.json();
    const list = document.getElementById('proposals');
    if (body.errors || !body.data.article) {
      list.replaceChildren(el('li', { className: 'error' },
        body.errors ? body.errors[0].message : `no article has the key ${key}`));
      document.body.dataset.state = 'error';
      return;
    }
    const article = body.data.article;
    document.getElementById('title').textContent = article.title;
    document.getElementById('meta').textContent =
      [article.url, article.date, article.language].filter(Boolean).join(' · ');
    const open = article.proposals.filter((p) => p.status !== 'REJECTED');
    highlight(article.text, open);
    list.replaceChildren(...article.proposals.map((p) => {
      const item = el('li', {}, `${label(p)} (${p.confidence}) `);
      item.dataset.id = p.id;
      item.append(el('span', { className: 'status' }, p.status), ' ', el('q', {}, p.text));
      item.addEventListener('click', () => select(p.id));
      return item;
    }));
    document.body.dataset.state = 'ready';
  }

  const input = document.getElementById('token');
  input.value = sessionStorage.getItem('clustergraph-token') || '';
  document.getElementById('login').addEventListener('submit', (event) => {
    event.preventDefault();
    sessionStorage.setItem('clustergraph-token', input.value);
    show(input.value);
  });
  if (input.value) show(input.value);
})();
  </script>
</body>
</html>
"""

ARTICLE_HEADERS = {**HTML_SECURITY_HEADERS, "Content-Security-Policy": policy_for(ARTICLE_HTML)}


async def article_page(request: Request) -> Response:
    return HTMLResponse(ARTICLE_HTML, headers=ARTICLE_HEADERS)
