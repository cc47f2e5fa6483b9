// <clustergraph-partners entity="KEY">: an entity's partners and cooperation network,
// for partner sites. Shadow DOM keeps the host page's rules and the widget's apart; what
// the host element would inherit (font, colour) is set again on the widget's own box.
// One GET request (a persisted query, cacheable by ETag) brings all it shows.
import { kindColour, kindOf } from './kinds.js';

/* global WIDGET_QUERY_HASH */
const SCRIPT = document.currentScript;
// The service is where this script came from.
const SERVICE = SCRIPT ? new URL(SCRIPT.src).origin : location.origin;
// Partners are actors; meta-clusters and projects are what they cooperate in.
const ACTORS = new Set(['CLUSTER', 'ORGANISATION']);
const SIZE = 300;
const HEIGHT_MESSAGE = 'clustergraph:embed-height';
const ASK_MESSAGE = 'clustergraph:embed-height?';
// This script runs inside the service's own embed page, framed by a partner's page.
const EMBEDDED = window.parent !== window && location.origin === SERVICE && location.pathname === '/embed';

function reportHeight() {
  window.parent.postMessage({ type: HEIGHT_MESSAGE, height: Math.ceil(document.body.getBoundingClientRect().height) }, '*');
}
const MAX_PARTNERS = 16;

const STYLE = `
:host { all: initial; display: block; max-width: 640px; }
:host([hidden]) { display: none; }
.box { border: 1px solid #d9e2ec; border-radius: 8px; padding: 12px 14px; background: #fff;
  font: 14px/1.4 system-ui, sans-serif; color: #1f2933; text-align: left; }
h2 { font-size: 16px; margin: 0; }
.meta { color: #52606d; font-size: 12px; margin: 0 0 8px; }
.body { display: flex; flex-wrap: wrap; gap: 12px; }
svg { flex: 0 1 ${SIZE}px; width: 100%; max-width: ${SIZE}px; height: auto; aspect-ratio: 1; background: #fbfcfd; border-radius: 6px; }
ul { flex: 1 1 200px; list-style: none; margin: 0; padding: 0; }
li { padding: 3px 0; border-bottom: 1px dotted #e4e7eb; display: flex; gap: 6px; align-items: baseline; }
li a { color: #1f2933; text-decoration: none; flex: 1; }
li a:hover { text-decoration: underline; }
.cc { font-size: 11px; color: #486581; background: #f0f4f8; border-radius: 3px; padding: 0 4px; }
.cross { background: #fde8e8; color: #9b1c1c; }
.dot { width: 8px; height: 8px; border-radius: 50%; flex: 0 0 8px; }
footer { margin-top: 8px; font-size: 12px; }
footer a { color: #1d5f99; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 12px; margin: 8px 0 0; padding: 0; font-size: 12px; color: #3e4c59; }
.legend span { display: inline-flex; align-items: center; gap: 4px; }
.error { color: #9b1c1c; }
`;

function explorerUrl(key) {
  return `${SERVICE}/explore?key=${encodeURIComponent(key)}`;
}

function h(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

function svg(tag, attributes = {}, ...children) {
  const node = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

// Hops from the entity, breadth first over the (undirected) edges.
function distances(center, edges) {
  const next = new Map();
  for (const { from, to } of edges) {
    next.set(from, [...(next.get(from) || []), to]);
    next.set(to, [...(next.get(to) || []), from]);
  }
  const hops = new Map([[center, 0]]);
  const queue = [center];
  while (queue.length) {
    const key = queue.shift();
    for (const other of next.get(key) || []) {
      if (!hops.has(other)) {
        hops.set(other, hops.get(key) + 1);
        queue.push(other);
      }
    }
  }
  return hops;
}

// The entity in the middle, each ring one hop further out: a picture, not a layout engine.
function drawNetwork(center, nodes, edges) {
  const hops = distances(center, edges);
  const rings = new Map();
  for (const node of nodes) {
    const ring = hops.get(node.key) ?? 3;
    rings.set(ring, [...(rings.get(ring) || []), node]);
  }
  const where = new Map();
  const middle = SIZE / 2;
  for (const [ring, members] of rings) {
    const radius = ring === 0 ? 0 : Math.min(ring, 2) * (SIZE / 2 - 24) / 2;
    members.forEach((node, i) => {
      const angle = (2 * Math.PI * i) / members.length + ring * 0.6;
      where.set(node.key, [middle + radius * Math.cos(angle), middle + radius * Math.sin(angle)]);
    });
  }
  const lines = edges.filter((e) => where.has(e.from) && where.has(e.to)).map((e) => {
    const [[x1, y1], [x2, y2]] = [where.get(e.from), where.get(e.to)];
    return svg('line', { x1, y1, x2, y2, stroke: '#bcccdc' }, svg('title', {}, e.type));
  });
  const dots = nodes.map((node) => {
    const [cx, cy] = where.get(node.key);
    const r = node.key === center ? 11 : 6;
    return svg('circle', { cx, cy, r, fill: kindColour(node.kind), stroke: '#1f2933', 'stroke-width': 1, 'data-kind': node.kind },
      svg('title', {}, `${node.name}${node.countryCode ? ' · ' + node.countryCode : ''}`));
  });
  // A picture only: the list beside it names every partner and links to it, so the
  // picture holds no links of its own and is hidden from screen readers.
  return svg('svg', { viewBox: `0 0 ${SIZE} ${SIZE}`, 'aria-hidden': 'true', focusable: 'false' }, ...lines, ...dots);
}

// The actors it works with, the nearest first: those of its network, and those further
// away across a border.
function partnersOf(data) {
  const self = data.entity;
  const hops = distances(self.key, data.neighbourhood.edges);
  const found = new Map();
  for (const node of data.neighbourhood.nodes) {
    if (node.key !== self.key && ACTORS.has(node.kind)) found.set(node.key, [hops.get(node.key) ?? 9, node]);
  }
  for (const { partner, distance } of data.crossBorderPartners) {
    if (!found.has(partner.key)) found.set(partner.key, [distance, partner]);
  }
  return [...found.values()]
    .sort(([a, p], [b, q]) => a - b || p.name.localeCompare(q.name))
    .map(([, partner]) => partner);
}

function partnerItem(partner, home) {
  const cross = home && partner.countryCode && partner.countryCode !== home;
  return h('li', { part: 'partner' },
    h('span', { class: 'dot', style: `background:${kindColour(partner.kind)}` }),
    h('a', { href: explorerUrl(partner.key), target: '_blank', rel: 'noopener' }, partner.name),
    partner.countryCode ? h('span', { class: cross ? 'cc cross' : 'cc', title: cross ? 'across a border' : '' }, partner.countryCode) : '');
}

// What the picture and the list use, and nothing else: the kinds drawn, and the red
// country code only when a partner shown is across a border.
function legend(nodes, crossing) {
  const kinds = [...new Set(nodes.map((n) => n.kind))];
  return h('p', { class: 'legend', part: 'legend' },
    ...kinds.map((kind) => h('span', { 'data-kind': kind }, h('span', { class: 'dot', style: `background:${kindColour(kind)}` }), kindOf(kind).label)),
    ...(crossing ? [h('span', { 'data-legend': 'cross' }, h('span', { class: 'cc cross' }, 'CC'), 'across a border')] : []));
}

// A fetch that fails outright is a refusal of this page's origin (CORS) when the service
// answers a request that needs no permission; otherwise the service is down or away.
async function refusal() {
  try {
    await fetch(`${SERVICE}/healthz`, { mode: 'no-cors' });
  } catch {
    return `The cooperation network could not be loaded: the clustergraph service at ${SERVICE} does not answer.`;
  }
  return `The clustergraph service refused this site (${location.origin}). Its operator must add ${location.origin} to CLUSTERGRAPH_CORS_ORIGINS.`;
}

// Live: the service streams the changes of what the widget shows (GraphQL over SSE, the
// browser's EventSource); each one makes the widget load its data again, so a renamed
// partner or a new link appears without a reload of the page.
// `since` is the log's position read before the data: a change committed while the
// streams are being set up is replayed, not missed.
const LIVE_ENTITIES = 'subscription Live($keys: [String!], $since: Int) { entityChanged(keys: $keys, since: $since) { sequence } }';
const LIVE_LINKS = 'subscription Live($keys: [String!], $since: Int) { relationshipChanged(keys: $keys, since: $since) { sequence } }';

async function lastChange() {
  try {
    const response = await fetch(`${SERVICE}/graphql?${new URLSearchParams({ query: '{ lastChange }' })}`, { mode: 'cors' });
    return (await response.json()).data.lastChange;
  } catch {
    return null;  // no position (an older service, trusted documents only): live changes from now
  }
}

function stream(query, variables, changed) {
  const params = new URLSearchParams({ query, variables: JSON.stringify(variables) });
  const source = new EventSource(`${SERVICE}/graphql?${params}`);
  source.addEventListener('next', (event) => changed(JSON.parse(event.data)));
  return source;
}

class ClustergraphPartners extends HTMLElement {
  static get observedAttributes() {
    return ['entity'];
  }

  constructor() {
    super();
    this.attachShadow({ mode: 'open' });
  }

  connectedCallback() {
    this.schedule();
  }

  disconnectedCallback() {
    this.unfollow();
  }

  follow(keys, since) {
    const wanted = JSON.stringify(keys);
    if (this.followed === wanted) return;
    this.unfollow();
    this.followed = wanted;
    const changed = (result) => {
      const change = result.data && Object.values(result.data)[0];
      if (change) this.since = Math.max(this.since ?? 0, change.sequence);
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.load(true), 250);  // a burst of changes, one load
    };
    // A stream that drops reconnects by itself (EventSource); the next change then loads all again.
    this.streams = [
      stream(LIVE_ENTITIES, { keys, since }, changed),
      stream(LIVE_LINKS, { keys: [keys[0]], since }, changed),
    ];
  }

  unfollow() {
    for (const source of this.streams || []) source.close();
    this.streams = [];
    this.followed = null;
  }

  attributeChangedCallback() {
    if (this.isConnected) this.schedule();
  }

  // Attribute and connection callbacks come together on creation: load once.
  schedule() {
    if (this.pending) return;
    this.pending = true;
    queueMicrotask(() => {
      this.pending = false;
      this.load();
    });
  }

  render(state, ...content) {
    this.setAttribute('data-state', state);
    this.shadowRoot.replaceChildren(h('style', {}, STYLE), h('div', { class: 'box' }, ...content));
    if (EMBEDDED) reportHeight();
  }

  async load(again = false) {
    const key = this.getAttribute('entity') || '';
    if (!again) this.render('loading', h('p', { class: 'meta' }, 'Loading the cooperation network…'));
    const since = again ? this.since : await lastChange();
    const params = new URLSearchParams({
      operationName: 'WidgetPartners',
      variables: JSON.stringify({ key }),
      extensions: JSON.stringify({ persistedQuery: { version: 1, sha256Hash: WIDGET_QUERY_HASH } }),
    });
    let response;
    try {
      // After a change, past every cache: the graph's version (the ETag) may be bumped a moment
      // after the change reached the stream, and a revalidation would get the old answer.
      response = await fetch(`${SERVICE}/graphql?${params}`, { mode: 'cors', cache: again ? 'reload' : 'default' });
    } catch {
      this.render('error', h('p', { class: 'error' }, await refusal()));
      return;
    }
    try {
      const body = await response.json();
      if (body.errors && body.errors.length) throw new Error(body.errors[0].message);
      if (!body.data.entity) throw new Error(`no entity ${key}`);
      this.show(body.data);
      this.since = this.since ?? since;
      this.follow([body.data.entity.key, ...partnersOf(body.data).slice(0, MAX_PARTNERS).map((p) => p.key)], this.since);
    } catch (error) {
      this.render('error', h('p', { class: 'error' }, `The cooperation network could not be loaded (${error.message}).`));
    }
  }

  show(data) {
    const self = data.entity;
    const partners = partnersOf(data);
    const shown = partners.slice(0, MAX_PARTNERS);
    const more = partners.length - shown.length;
    const crossing = shown.some((p) => self.countryCode && p.countryCode && p.countryCode !== self.countryCode);
    this.render('ready',
      h('h2', {}, self.name),
      h('p', { class: 'meta' }, `${partners.length} partners${self.countryCode ? ' · ' + self.countryCode : ''}`),
      h('div', { class: 'body' },
        drawNetwork(self.key, data.neighbourhood.nodes, data.neighbourhood.edges),
        h('ul', { 'aria-label': 'Partners' }, ...shown.map((p) => partnerItem(p, self.countryCode)),
          ...(more > 0 ? [h('li', {}, `and ${more} more`)] : []))),
      legend(data.neighbourhood.nodes, crossing),
      h('footer', {}, h('a', { href: explorerUrl(self.key), target: '_blank', rel: 'noopener' }, 'Explore the whole network →')));
  }
}

if (!customElements.get('clustergraph-partners')) customElements.define('clustergraph-partners', ClustergraphPartners);

// The embed page tells the page framing it how tall its content is; the widget script on
// that page (the iframe snippet loads it) sets the iframe's height, so the frame grows to
// its content. The script may load after the frame has spoken, so it also asks. (Chromium
// pauses ResizeObserver in frames out of view, so each render reports too.)
if (EMBEDDED) {
  new ResizeObserver(reportHeight).observe(document.body);
  window.addEventListener('message', (event) => {
    if (event.data && event.data.type === ASK_MESSAGE) reportHeight();
  });
} else {
  window.addEventListener('message', (event) => {
    if (event.origin !== SERVICE || !event.data || event.data.type !== HEIGHT_MESSAGE) return;
    for (const frame of document.querySelectorAll('iframe')) {
      if (frame.contentWindow === event.source) frame.style.height = `${Number(event.data.height)}px`;
    }
  });
  for (const frame of document.querySelectorAll('iframe')) {
    if (frame.src.startsWith(`${SERVICE}/embed?`) && frame.contentWindow) frame.contentWindow.postMessage({ type: ASK_MESSAGE }, SERVICE);
  }
}
