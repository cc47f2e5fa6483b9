// The explorer: search an entity, see its neighbourhood as a network, expand nodes by
// clicking them, and highlight the cooperation paths between two entities.
// Everything it shows comes from the service's GraphQL API; Cytoscape.js draws it.
import cytoscape from 'cytoscape';
import fcose from 'cytoscape-fcose';
import { KIND_COLOURS, kindColour } from './kinds.js';

const SEARCH = `query ExplorerSearch($query: String!) {
  search(query: $query, first: 8) { edges { node { key name kind countryCode } } }
}`;
const NEIGHBOURHOOD = `query ExplorerNeighbourhood($key: String!, $depth: Int!, $limit: Int!) {
  neighbourhood(key: $key, depth: $depth, limit: $limit) {
    truncated
    nodes { key name kind countryCode }
    edges { id type from to role }
  }
}`;
const PATHS = `query ExplorerPaths($from: String!, $to: String!, $crossBorderOnly: Boolean!) {
  cooperationPaths(from: $from, to: $to, limit: 3, crossBorderOnly: $crossBorderOnly) {
    length countries borderCrossings
    nodes { key name kind countryCode }
    edges { id type from to role }
  }
}`;

// How much one search result and one click bring in: enough to see a cluster's
// network from a person, few enough to stay legible.
cytoscape.use(fcose);

const FIRST_DEPTH = 2;
const EXPAND_DEPTH = 1;
const LIMIT = 60;

async function graphql(query, variables) {
  const response = await fetch('/graphql', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  if (body.errors && body.errors.length) throw new Error(body.errors[0].message);
  return body.data;
}

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value);
  }
  node.append(...children);
  return node;
}

function layoutPage(root) {
  const search = el('input', { id: 'search', type: 'search', placeholder: 'Search an entity (diacritics optional): skalacka, beskidy…', autocomplete: 'off' });
  const results = el('ul', { id: 'results' });
  const from = el('input', { id: 'path-from', placeholder: 'from: key or name' });
  const to = el('input', { id: 'path-to', placeholder: 'to: key or name' });
  const crossBorder = el('input', { id: 'cross-border', type: 'checkbox' });
  const findPaths = el('button', { id: 'find-paths', type: 'button' }, 'Highlight paths');
  const clear = el('button', { id: 'clear', type: 'button' }, 'Clear');
  const details = el('section', { id: 'details' }, el('p', { class: 'hint' }, 'Search an entity to begin; click a node to expand it.'));
  const paths = el('section', { id: 'paths' });
  const legend = el('ul', { id: 'legend' }, ...Object.keys(KIND_COLOURS).map((kind) =>
    el('li', {}, el('span', { class: 'swatch', style: `background:${kindColour(kind)}` }), kind.toLowerCase().replace('_', '-'))));
  const status = el('p', { id: 'status', role: 'status' });
  root.replaceChildren(
    el('header', {},
      el('h1', {}, el('a', { href: '/explore' }, 'clustergraph'), ' explorer'),
      el('div', { class: 'search' }, search, results),
      el('a', { href: '/graphql', class: 'graphiql' }, 'GraphiQL')),
    el('main', {},
      el('div', { id: 'network' }),
      el('aside', {},
        details,
        el('section', { id: 'path-form' },
          el('h2', {}, 'Cooperation paths'),
          from, to,
          el('label', {}, crossBorder, ' cross-border only'),
          el('div', { class: 'buttons' }, findPaths, clear)),
        paths,
        el('section', {}, el('h2', {}, 'Kinds'), legend),
        status)));
  return { search, results, from, to, crossBorder, findPaths, clear, details, paths, status };
}

const STYLE = [
  {
    selector: 'node',
    style: {
      'background-color': 'data(colour)',
      label: 'data(label)',
      'font-size': 10,
      'text-wrap': 'wrap',
      'text-max-width': 130,
      'text-valign': 'bottom',
      'text-margin-y': 3,
      width: 22,
      height: 22,
      'border-width': 1,
      'border-color': '#fff',
    },
  },
  {
    selector: 'node.country',
    style: {
      'background-color': '#f4f6f8',
      'background-opacity': 1,
      'border-color': '#b8c2cc',
      'border-style': 'dashed',
      'border-width': 1,
      label: 'data(label)',
      'text-valign': 'top',
      'text-halign': 'center',
      'font-size': 13,
      'font-weight': 'bold',
      color: '#52606d',
      padding: 14,
    },
  },
  { selector: 'node.center', style: { width: 34, height: 34, 'border-width': 3, 'border-color': '#1f2933' } },
  { selector: 'node:selected', style: { 'border-width': 3, 'border-color': '#f0b429' } },
  {
    selector: 'edge',
    style: {
      width: 1.5,
      'line-color': '#9aa5b1',
      'target-arrow-color': '#9aa5b1',
      'target-arrow-shape': 'triangle',
      'arrow-scale': 0.7,
      'curve-style': 'bezier',
      label: 'data(type)',
      'font-size': 7,
      color: '#52606d',
      'text-rotation': 'autorotate',
      'text-background-color': '#fff',
      'text-background-opacity': 0.8,
      'text-background-padding': 1,
    },
  },
  { selector: '.faded', style: { opacity: 0.18 } },
  { selector: 'node.on-path', style: { 'border-width': 4, 'border-color': '#e12d39', opacity: 1 } },
  {
    selector: 'edge.on-path',
    style: { width: 4, 'line-color': '#e12d39', 'target-arrow-color': '#e12d39', color: '#9b1c1c', opacity: 1, 'z-index': 10 },
  },
];

function nodeElement(node) {
  const country = node.countryCode ? ` · ${node.countryCode}` : '';
  return {
    group: 'nodes',
    data: {
      id: node.key,
      name: node.name,
      kind: node.kind,
      countryCode: node.countryCode,
      label: `${node.name}${country}`,
      colour: kindColour(node.kind),
      // Nodes of one country are drawn inside that country's box.
      parent: node.countryCode ? `country-group:${node.countryCode}` : undefined,
    },
  };
}

function edgeElement(edge) {
  return { group: 'edges', data: { id: edge.id, source: edge.from, target: edge.to, type: edge.type, role: edge.role } };
}

class Explorer {
  constructor(root) {
    this.ui = layoutPage(root);
    this.cy = cytoscape({
      container: document.getElementById('network'),
      style: STYLE,
      wheelSensitivity: 0.3,
      // A handful of nodes should not fill the screen at giant size.
      maxZoom: 1.4,
      minZoom: 0.15,
    });
    this.center = null;
    this.bind();
  }

  bind() {
    let timer;
    this.ui.search.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(() => this.search(this.ui.search.value.trim()), 200);
    });
    this.ui.search.addEventListener('keydown', (event) => {
      const first = this.ui.results.querySelector('li');
      if (event.key === 'Enter' && first) first.click();
    });
    this.cy.on('tap', 'node', (event) => {
      const node = event.target;
      if (node.hasClass('country')) return;
      this.show(node.data());
      this.expand(node.id());
    });
    this.ui.findPaths.addEventListener('click', () => this.highlightPaths());
    this.ui.clear.addEventListener('click', () => this.clearPaths());
  }

  setStatus(text, state) {
    this.ui.status.textContent = text;
    document.body.dataset.state = state;
  }

  async run(label, work) {
    this.setStatus(label, 'loading');
    try {
      await work();
      this.setStatus('', 'ready');
    } catch (error) {
      this.setStatus(`${label.replace('…', '')} failed: ${error.message}`, 'error');
    }
  }

  async search(text) {
    if (text.length < 2) {
      this.ui.results.replaceChildren();
      return;
    }
    const data = await graphql(SEARCH, { query: text }).catch(() => null);
    if (!data || this.ui.search.value.trim() !== text) return;
    const items = data.search.edges.map(({ node }) =>
      el('li', { 'data-key': node.key, onclick: () => this.open(node.key) },
        el('span', { class: 'swatch', style: `background:${kindColour(node.kind)}` }),
        node.name,
        el('small', {}, ` ${node.kind.toLowerCase()}${node.countryCode ? ' · ' + node.countryCode : ''}`)));
    this.ui.results.replaceChildren(...(items.length ? items : [el('li', { class: 'none' }, 'nothing found')]));
  }

  // Start again from one entity: its neighbourhood replaces the network.
  async open(key) {
    this.ui.results.replaceChildren();
    this.ui.search.value = '';
    this.cy.elements().remove();
    this.center = key;
    history.replaceState(null, '', `/explore?key=${encodeURIComponent(key)}`);
    await this.run('Loading the neighbourhood…', () => this.addNeighbourhood(key, FIRST_DEPTH));
    const center = this.cy.getElementById(key);
    if (center.nonempty()) this.show(center.data());
  }

  async expand(key) {
    await this.run('Expanding…', () => this.addNeighbourhood(key, EXPAND_DEPTH));
  }

  async addNeighbourhood(key, depth) {
    const data = await graphql(NEIGHBOURHOOD, { key, depth, limit: LIMIT });
    const added = this.add(data.neighbourhood.nodes, data.neighbourhood.edges, key);
    this.cy.getElementById(this.center).addClass('center');
    this.cy.getElementById(key).data('expanded', true);
    if (data.neighbourhood.truncated) this.cy.getElementById(key).data('truncated', true);
    if (added) await this.layout();
  }

  // Adds what is not drawn yet (and the country boxes it needs), new nodes next to
  // `near` so the layout only moves things a little; returns how many elements.
  add(nodes, edges, near) {
    const origin = near && this.cy.getElementById(near).nonempty() ? this.cy.getElementById(near).position() : null;
    const fresh = [];
    for (const node of nodes) {
      if (node.countryCode && this.cy.getElementById(`country-group:${node.countryCode}`).empty()) {
        fresh.push({ group: 'nodes', classes: 'country', data: { id: `country-group:${node.countryCode}`, label: node.countryCode } });
      }
      if (this.cy.getElementById(node.key).empty() && !fresh.some((e) => e.data.id === node.key)) fresh.push(nodeElement(node));
    }
    for (const edge of edges) {
      if (this.cy.getElementById(edge.id).empty()) fresh.push(edgeElement(edge));
    }
    const added = this.cy.add(fresh);
    if (origin) {
      added.nodes(':childless').forEach((node) => {
        node.position({ x: origin.x + 80 * (Math.random() - 0.5), y: origin.y + 80 * (Math.random() - 0.5) });
      });
    }
    this.incremental = Boolean(origin);
    document.body.dataset.nodes = String(this.cy.nodes(':childless').length);
    return fresh.length;
  }

  layout() {
    // fCoSE keeps each country's box compact and the boxes apart; labels count as size.
    const layout = this.cy.layout({
      name: 'fcose',
      quality: 'proof',
      animate: false,
      randomize: !this.incremental,
      nodeDimensionsIncludeLabels: true,
      nodeRepulsion: () => 12000,
      idealEdgeLength: () => 110,
      nestingFactor: 0.5,
      gravity: 0.3,
      gravityCompound: 1.2,
      nodeSeparation: 90,
      padding: 30,
    });
    const done = layout.promiseOn('layoutstop');
    layout.run();
    return done;
  }

  show(data) {
    const key = data.id;
    const exports = ['graphml', 'gexf', 'cyjs', 'nodes.csv', 'edges.csv'].map((fmt) =>
      el('a', { href: `/export/${fmt}?key=${encodeURIComponent(key)}&depth=2` }, fmt));
    this.ui.details.replaceChildren(
      el('h2', {}, data.name),
      el('p', { class: 'meta' }, `${data.kind.toLowerCase()}${data.countryCode ? ' · ' + data.countryCode : ''}`),
      el('p', { class: 'key' }, el('code', {}, key)),
      el('div', { class: 'buttons' },
        el('button', { type: 'button', onclick: () => { this.ui.from.value = key; } }, 'Path from here'),
        el('button', { type: 'button', onclick: () => { this.ui.to.value = key; } }, 'Path to here'),
        el('button', { type: 'button', onclick: () => this.open(key) }, 'Centre')),
      el('p', { class: 'exports' }, 'Export its neighbourhood: ', ...exports.flatMap((a, i) => (i ? [' · ', a] : [a]))));
  }

  // A key as typed, or the best search hit for a name.
  async resolve(text) {
    if (text.includes(':')) return text;
    const data = await graphql(SEARCH, { query: text });
    const hit = data.search.edges[0];
    if (!hit) throw new Error(`nothing found for “${text}”`);
    return hit.node.key;
  }

  async highlightPaths() {
    await this.run('Finding paths…', async () => {
      const from = await this.resolve(this.ui.from.value.trim());
      const to = await this.resolve(this.ui.to.value.trim());
      const data = await graphql(PATHS, { from, to, crossBorderOnly: this.ui.crossBorder.checked });
      const paths = data.cooperationPaths;
      const added = this.add(paths.flatMap((p) => p.nodes), paths.flatMap((p) => p.edges), from);
      if (added) await this.layout();
      this.mark(paths);
      this.listPaths(paths);
    });
  }

  mark(paths) {
    this.cy.elements().removeClass('on-path faded');
    if (!paths.length) return;
    const onPath = this.cy.collection();
    for (const path of paths) {
      for (const node of path.nodes) onPath.merge(this.cy.getElementById(node.key));
      for (const edge of path.edges) onPath.merge(this.cy.getElementById(edge.id));
    }
    onPath.addClass('on-path');
    this.cy.elements(':childless').difference(onPath).addClass('faded');
    this.cy.animate({ fit: { eles: onPath, padding: 60 } }, { duration: 300 });
  }

  listPaths(paths) {
    if (!paths.length) {
      this.ui.paths.replaceChildren(el('p', { class: 'none' }, 'No cooperation path within the hop limit.'));
      return;
    }
    const items = paths.map((path) => {
      const crossings = `${path.borderCrossings} border crossing${path.borderCrossings === 1 ? '' : 's'}`;
      return el('li', { class: 'path' },
        el('strong', { class: 'countries' }, path.countries.join(' → ') || '(no country)'),
        el('span', {}, ` · ${crossings} · ${path.length} hops`),
        el('ol', {}, ...path.nodes.map((n) => el('li', {}, n.name, n.countryCode ? el('small', {}, ` ${n.countryCode}`) : ''))));
    });
    this.ui.paths.replaceChildren(el('h2', {}, 'Paths found'), el('ul', { id: 'path-list' }, ...items));
  }

  clearPaths() {
    this.cy.elements().removeClass('on-path faded');
    this.ui.paths.replaceChildren();
  }
}

const explorer = new Explorer(document.getElementById('explorer'));
// For the browser tests and for curious analysts in the console.
window.explorer = explorer;
const params = new URLSearchParams(location.search);
if (params.get('from')) explorer.ui.from.value = params.get('from');
if (params.get('to')) explorer.ui.to.value = params.get('to');
if (params.get('key')) explorer.open(params.get('key'));
else document.body.dataset.state = 'ready';
