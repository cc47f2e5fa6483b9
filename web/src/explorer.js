// The explorer: search an entity, see its neighbourhood as a network, select nodes (click)
// and expand them (double-click, or the Expand button), collapse and undo, highlight the
// cooperation paths between two entities, share the view as a link and export what is
// on screen. Everything it shows comes from the service's GraphQL API; Cytoscape.js draws
// it, and a list view says the same for keyboards and screen readers.
import cytoscape from 'cytoscape';
import fcose from 'cytoscape-fcose';
import { kindOf } from './kinds.js';
import { applyFilters, cloneFilters, emptyFilters, FilterPanel, legendButtons } from './filters.js';
import { positions, runLayout } from './layout.js';
import { EDGE_FIELDS, edgeLabel, edgeRows, typeWords } from './relationships.js';
import { readState, stateUrl } from './urlstate.js';
import { el, EntityField, ListView, SearchBox } from './widgets.js';

const ENTITY = 'key name kind countryCode sources { key name }';
const SEARCH = `query ExplorerSearch($query: String!) {
  search(query: $query, first: 8) { edges { node { key name kind countryCode } } }
}`;
const NEIGHBOURHOOD = `query ExplorerNeighbourhood($key: String!, $depth: Int!, $limit: Int!) {
  neighbourhood(key: $key, depth: $depth, limit: $limit) {
    truncated
    nodes { ${ENTITY} }
    edges { ${EDGE_FIELDS} }
  }
}`;
const PATHS = `query ExplorerPaths($from: String!, $to: String!, $crossBorderOnly: Boolean!) {
  cooperationPaths(from: $from, to: $to, limit: 3, crossBorderOnly: $crossBorderOnly) {
    length countries borderCrossings
    nodes { ${ENTITY} }
    edges { ${EDGE_FIELDS} }
  }
}`;

cytoscape.use(fcose);

// How much one search result and one expansion bring in: enough to see a cluster's
// network from a person, few enough to stay legible.
// Live changes of what is on screen (GraphQL over SSE), from the log's position read before
// the first data: a rename shows, a deletion goes, without a reload.
const LIVE = `subscription ExplorerLive($keys: [String!], $since: Int) {
  entityChanged(keys: $keys, since: $since) { sequence action key keys }
}`;
const ENTITY_NOW = `query ExplorerEntity($key: String!) { entity(key: $key) { ${ENTITY} } }`;
const FIRST_DEPTH = 2;
const EXPAND_DEPTH = 1;
const LIMIT = 60;
// Above this many nodes Cytoscape's canvas performance options are switched on
// (measured in docs/explorer-performance.md).
const LARGE = 400;
const EXPORT_FORMATS = [['graphml', 'GraphML'], ['gexf', 'GEXF'], ['cyjs', 'Cytoscape JSON'], ['nodes.csv', 'nodes CSV'], ['edges.csv', 'edges CSV']];
const SIZE = { node: 26, expanded: 30, center: 38 };

// Cytoscape's WebGL renderer is built for thousands of nodes on a GPU; software GL
// (SwiftShader, llvmpipe) draws them slower than the 2D canvas does (measured in
// docs/explorer-performance.md), so without a GPU the explorer keeps the 2D canvas.
// `localStorage['clustergraph.explorer.renderer'] = 'webgl' | 'canvas'` overrides the choice.
const RENDERER_CHOICE = 'clustergraph.explorer.renderer';
const SOFTWARE_GL = /swiftshader|llvmpipe|softpipe|software/i;

/** The WebGL2 renderer's name, or null without WebGL2. */
function webgl2Renderer() {
  try {
    const gl = document.createElement('canvas').getContext('webgl2');
    if (!gl) return null;
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    const name = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return name;
  } catch {
    return null;
  }
}

function chosenRenderer() {
  try {
    return localStorage.getItem(RENDERER_CHOICE);
  } catch {
    return null;  // storage refused (private mode, sandbox): the automatic choice
  }
}

function useWebgl() {
  const gpu = webgl2Renderer();
  if (gpu === null) return false;
  const chosen = chosenRenderer();
  return chosen === 'webgl' || (chosen !== 'canvas' && !SOFTWARE_GL.test(gpu));
}

async function graphql(query, variables) {
  const response = await fetch('/graphql', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  let body;
  try {
    body = await response.json();
  } catch {
    throw new Error(`the service answered ${response.status} without a readable body`);
  }
  if (body.errors && body.errors.length) throw new Error(body.errors[0].message);
  return body.data;
}

async function lastChange() {
  try {
    return (await graphql('{ lastChange }', {})).lastChange;
  } catch {
    return null;  // no position: live changes from now on
  }
}

function layoutPage(root) {
  const search = new SearchBox();
  const from = new EntityField({ id: 'path-from', listId: 'path-from-results', prefix: 'path-from-result', label: 'Path from (key or name)', placeholder: 'from: key or name' });
  const to = new EntityField({ id: 'path-to', listId: 'path-to-results', prefix: 'path-to-result', label: 'Path to (key or name)', placeholder: 'to: key or name' });
  const crossBorder = el('input', { id: 'cross-border', type: 'checkbox' });
  const findPaths = el('button', { id: 'find-paths', type: 'button' }, 'Highlight paths');
  const clear = el('button', { id: 'clear', type: 'button' }, 'Clear');
  const details = el('section', { id: 'details', 'aria-live': 'polite' },
    el('p', { class: 'hint' }, 'Search an entity to begin. Click a node to select it, double-click to expand it.'));
  const paths = el('section', { id: 'paths' });
  const undo = el('button', { id: 'undo', type: 'button', disabled: '' }, 'Undo');
  const copyLink = el('button', { id: 'copy-link', type: 'button' }, 'Copy link');
  const relayout = el('button', { id: 'relayout', type: 'button', title: 'Lay the view out again with another seed' }, 'New layout');
  const fit = el('button', { id: 'fit', type: 'button' }, 'Fit');
  const exportButtons = EXPORT_FORMATS.map(([fmt, label]) => el('button', { type: 'button', 'data-format': fmt }, label));
  const neighbourhoodExports = el('p', { id: 'neighbourhood-exports' });
  const network = el('div', { id: 'network', tabindex: '0', role: 'region', 'aria-label': 'Network picture (arrow keys pan, + and − zoom, 0 fits); the list view names what it shows' });
  const tooltip = el('div', { id: 'tooltip', role: 'tooltip', hidden: '' });
  const list = new ListView();
  const status = el('p', { id: 'status', role: 'status' });
  // What failed, on the picture itself, with a way to try again.
  const problemText = el('p', { id: 'problem-text' });
  const retry = el('button', { type: 'button', id: 'retry' }, 'Try again');
  const dismiss = el('button', { type: 'button', id: 'dismiss' }, 'Dismiss');
  const problem = el('div', { id: 'problem', role: 'alert', hidden: '' }, problemText, el('div', { class: 'buttons' }, retry, dismiss));
  const filters = new FilterPanel();
  const legend = el('ul', { id: 'legend', 'aria-label': 'Kinds: press one to show or hide it' });
  root.replaceChildren(
    el('header', {},
      el('h1', {}, el('a', { href: '/explore' }, 'clustergraph'), ' explorer'),
      search.element,
      el('a', { href: '/graphql', class: 'graphiql' }, 'GraphiQL')),
    el('main', {},
      el('div', { class: 'stage' },
        el('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'View' }, undo, fit, relayout, copyLink),
        network, tooltip, problem),
      el('aside', { 'aria-label': 'Details' },
        status,
        details,
        el('section', { id: 'path-form' },
          el('h2', {}, 'Cooperation paths'),
          from.element, to.element,
          el('label', {}, crossBorder, ' cross-border only'),
          el('div', { class: 'buttons' }, findPaths, clear)),
        paths,
        filters.element,
        el('section', { id: 'exports' },
          el('h2', {}, 'Export'),
          el('p', { class: 'meta' }, 'What you see, with positions, colours and sizes:'),
          el('div', { class: 'buttons', id: 'view-exports' }, ...exportButtons),
          neighbourhoodExports),
        el('section', {}, el('h2', {}, 'Legend'),
          legend,
          el('p', { class: 'meta' }, 'Thick dark ring: the centre. Gold ring: selected. Red: on a highlighted path. Boxes: countries. Click an edge for what it says.')),
        list.element)));
  return { search, from, to, crossBorder, findPaths, clear, details, paths, undo, copyLink, relayout, fit, exportButtons, neighbourhoodExports, network, tooltip, list, status, problem, problemText, retry, dismiss, filters, legend };
}

// Cytoscape 3.34-3.35 flips a node's `:backgrounding` state twice in every drawing of a
// node without a background image (drawing-nodes.mjs counts an absent image as loaded in
// one of its two image passes), and each flip restyles the node, its country box and the
// box's other nodes: most of a 2,000-node frame (docs/explorer-performance.md). A loaded,
// transparent 1x1 image keeps the counts equal. One URL without spaces: the property is a list.
const BLANK_IMAGE = 'data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7';

const STYLE = [
  {
    selector: 'node',
    style: {
      'background-image': BLANK_IMAGE,
      'background-image-opacity': 0,
      'background-color': 'data(colour)',
      shape: 'data(shape)',
      label: 'data(label)',
      // Sized for reading at zoom 1, and not drawn at all once smaller than 8 px on screen.
      'font-size': 14,
      'min-zoomed-font-size': 8,
      color: '#1f2933',
      'text-outline-color': '#ffffff',
      'text-outline-width': 2,
      'text-wrap': 'wrap',
      'text-max-width': 150,
      'text-valign': 'bottom',
      'text-margin-y': 4,
      'border-width': 1.5,
      'border-color': '#1f2933',
    },
  },
  { selector: 'node[size]', style: { width: 'data(size)', height: 'data(size)' } },
  {
    selector: 'node.country',
    style: {
      'background-color': '#f4f6f8',
      'background-opacity': 1,
      shape: 'round-rectangle',
      'border-color': '#7b8794',
      'border-style': 'dashed',
      'border-width': 1,
      label: 'data(label)',
      'text-valign': 'top',
      'text-halign': 'center',
      'font-size': 16,
      'font-weight': 'bold',
      color: '#3e4c59',
      padding: 14,
    },
  },
  { selector: 'node.center', style: { 'border-width': 4, 'border-color': '#1f2933' } },
  { selector: 'node.expanded', style: { 'border-width': 3 } },
  { selector: 'node:selected', style: { 'border-width': 5, 'border-color': '#f0b429', 'overlay-opacity': 0 } },
  {
    selector: 'edge',
    style: {
      width: 1.5,
      'line-color': '#9aa5b1',
      'target-arrow-color': '#9aa5b1',
      'target-arrow-shape': 'triangle',
      'arrow-scale': 0.8,
      'curve-style': 'bezier',
      label: 'data(label)',
      'font-size': 10,
      'min-zoomed-font-size': 9,
      color: '#3e4c59',
      'text-rotation': 'autorotate',
      'text-background-color': '#fff',
      'text-background-opacity': 0.85,
      'text-background-padding': 1,
    },
  },
  // Many nodes: straight edges (far cheaper to draw) and no edge labels.
  { selector: 'edge.large', style: { 'curve-style': 'haystack', label: '', 'target-arrow-shape': 'none' } },
  { selector: '.faded', style: { opacity: 0.2 } },
  { selector: '.filtered', style: { display: 'none' } },
  { selector: 'edge:selected', style: { width: 4, 'line-color': '#f0b429', 'target-arrow-color': '#f0b429' } },
  { selector: 'node.on-path', style: { 'border-width': 5, 'border-color': '#c81e1e', opacity: 1 } },
  {
    selector: 'edge.on-path',
    style: { width: 4, 'line-color': '#c81e1e', 'target-arrow-color': '#c81e1e', color: '#9b1c1c', opacity: 1, 'z-index': 10 },
  },
];

function nodeElement(node, addedBy) {
  const kind = kindOf(node.kind);
  return {
    group: 'nodes',
    data: {
      id: node.key,
      name: node.name,
      kind: node.kind,
      countryCode: node.countryCode,
      sources: node.sources || [],
      label: `${node.name}${node.countryCode ? ` · ${node.countryCode}` : ''}`,
      colour: kind.colour,
      shape: kind.shape,
      size: SIZE.node,
      addedBy,
      // Nodes of one country are drawn inside that country's box.
      parent: node.countryCode ? `country-group:${node.countryCode}` : undefined,
    },
  };
}

function edgeElement(edge) {
  return { group: 'edges', data: { id: edge.id, source: edge.from, target: edge.to, type: edge.type, role: edge.role, label: edgeLabel(edge), edge } };
}

function download(blob, name) {
  const link = el('a', { href: URL.createObjectURL(blob), download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
}

class Explorer {
  constructor(root) {
    this.ui = layoutPage(root);
    this.cy = cytoscape({
      container: this.ui.network,
      style: STYLE,
      renderer: { name: 'canvas', webgl: useWebgl() },
      // About 10% a wheel notch (Cytoscape's default gives 5% in Chromium), and close
      // enough to read a label in a crowded neighbourhood.
      wheelSensitivity: 2,
      maxZoom: 5,
      minZoom: 0.05,
    });
    document.body.dataset.renderer = this.cy.renderer().webgl ? 'webgl' : 'canvas';
    // The view: what `steps` brought in, in order. A step is the centre's neighbourhood,
    // one expansion, or the highlighted paths; its answer is kept so that collapsing one
    // expansion keeps what the others brought.
    this.center = null;
    this.seed = 1;
    this.expanded = [];
    this.results = new Map();
    this.paths = null;
    this.history = [];
    this.busy = 0;
    this.filters = emptyFilters();
    this.failed = null;
    // Node count above which the performance options are on (a test compares both).
    this.large = LARGE;
    this.bind();
  }

  bind() {
    this.ui.search.onSearch = (text) => this.search(text);
    this.ui.from.onSearch = (text) => this.search(text);
    this.ui.to.onSearch = (text) => this.search(text);
    this.ui.search.onChoose = (key) => this.run('Loading the neighbourhood…', () => this.open(key));
    this.cy.on('tap', 'node:childless', (event) => this.select(event.target.id()));
    this.cy.on('tap', 'edge', (event) => this.showEdge(event.target));
    this.ui.filters.onChange = (filters) => this.setFilters(filters);
    this.ui.retry.addEventListener('click', () => this.retryFailed());
    this.ui.dismiss.addEventListener('click', () => this.showProblem(null));
    this.cy.on('dbltap', 'node:childless', (event) => this.run('Expanding…', () => this.expand(event.target.id())));
    this.cy.on('mouseover', 'node:childless', (event) => this.showTooltip(event.target));
    this.cy.on('mouseout', 'node', () => { this.ui.tooltip.hidden = true; });
    this.cy.on('viewport', () => { this.ui.tooltip.hidden = true; });
    this.ui.network.addEventListener('keydown', (event) => this.onKey(event));
    this.ui.list.onSelect = (key) => this.select(key);
    this.ui.findPaths.addEventListener('click', () => this.run('Finding paths…', () => this.highlightPaths()));
    this.ui.clear.addEventListener('click', () => this.clearPaths());
    this.ui.undo.addEventListener('click', () => this.undo());
    this.ui.copyLink.addEventListener('click', () => this.copyLink());
    this.ui.relayout.addEventListener('click', () => this.relayout());
    this.ui.fit.addEventListener('click', () => this.cy.fit(undefined, 30));
    for (const button of this.ui.exportButtons) button.addEventListener('click', () => this.run('Exporting…', () => this.exportView(button.dataset.format)));
    document.addEventListener('keydown', (event) => {
      if ((event.ctrlKey || event.metaKey) && event.key === 'z' && !event.target.closest('input')) {
        event.preventDefault();
        this.undo();
      }
    });
  }

  onKey(event) {
    const step = 60;
    const moves = { ArrowLeft: [step, 0], ArrowRight: [-step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] };
    if (moves[event.key]) this.cy.panBy({ x: moves[event.key][0], y: moves[event.key][1] });
    else if (event.key === '+' || event.key === '=') this.zoomBy(1.25);
    else if (event.key === '-') this.zoomBy(0.8);
    else if (event.key === '0') this.cy.fit(undefined, 30);
    else return;
    event.preventDefault();
  }

  zoomBy(factor) {
    const box = this.ui.network.getBoundingClientRect();
    this.cy.zoom({ level: this.cy.zoom() * factor, renderedPosition: { x: box.width / 2, y: box.height / 2 } });
  }

  setStatus(text, state) {
    this.ui.status.textContent = text;
    if (state) document.body.dataset.state = state;
  }

  // One piece of work at a time is shown; the page is `ready` only when all are done.
  async run(label, work) {
    this.busy += 1;
    this.setStatus(label, 'loading');
    try {
      await work();
      this.busy -= 1;
      if (this.failed && this.failed.label === label) this.showProblem(null);
      if (!this.busy) this.setStatus('', 'ready');
    } catch (error) {
      this.busy -= 1;
      this.fail(label, error, work);
    }
  }

  /** Says what failed, in the status line and on the picture, with `work` as its retry. */
  fail(label, error, work) {
    const text = `${label.replace('…', '')} failed: ${explain(error)}`;
    this.setStatus(text, this.busy ? null : 'error');
    this.showProblem({ label, text, work });
  }

  /** Shows what failed on the picture, with a retry (null: hides it). */
  showProblem(failed) {
    this.failed = failed;
    this.ui.problem.hidden = !failed;
    this.ui.problemText.textContent = failed ? failed.text : '';
    if (failed) this.ui.retry.focus({ preventScroll: true });
  }

  retryFailed() {
    const failed = this.failed;
    this.showProblem(null);
    if (failed) this.run(failed.label, failed.work);
  }

  async search(text) {
    try {
      const data = await graphql(SEARCH, { query: text });
      if (this.failed && this.failed.label === 'Search…') this.showProblem(null);
      return data.search.edges.map(({ node }) => node);
    } catch (error) {
      this.fail('Search…', error, () => this.ui.search.search(this.ui.search.input.value.trim()));
      return null;
    }
  }

  // ---- filters ------------------------------------------------------------------------------

  setFilters(filters) {
    this.filters = filters;
    this.afterChange();
  }

  toggleKind(kind) {
    const next = cloneFilters(this.filters);
    if (next.kinds.has(kind)) next.kinds.delete(kind);
    else next.kinds.add(kind);
    this.setFilters(next);
  }

  renderFilters() {
    const hidden = applyFilters(this.cy, this.filters);
    this.ui.filters.render(this.cy, this.filters, hidden);
    this.ui.legend.replaceChildren(...legendButtons(this.filters, (kind) => this.toggleKind(kind)));
    document.body.dataset.hidden = String(hidden.nodes);
  }

  // ---- the state of the view, and the URL that holds it --------------------------------

  state() {
    return {
      key: this.center,
      expanded: this.expanded,
      selected: this.selected(),
      from: this.paths ? this.paths.from : '',
      to: this.paths ? this.paths.to : '',
      crossBorderOnly: this.paths ? this.paths.crossBorderOnly : false,
      seed: this.seed,
      filters: this.filters,
    };
  }

  selected() {
    const node = this.cy.nodes(':selected');
    return node.nonempty() ? node.id() : null;
  }

  saveUrl() {
    if (this.center) history.replaceState(null, '', stateUrl(this.state()));
  }

  link() {
    return new URL(stateUrl(this.state()), location.href).href;
  }

  async copyLink() {
    const link = this.link();
    try {
      await navigator.clipboard.writeText(link);
      this.setStatus('Link copied: it reopens this view.');
    } catch {
      window.prompt('Copy this link:', link);
    }
  }

  // Reopens a view from its URL: centre, expansions in order, paths, selection.
  async restore(state) {
    this.seed = state.seed;
    this.filters = state.filters;
    this.ui.from.input.value = state.from;
    this.ui.to.input.value = state.to;
    this.ui.crossBorder.checked = state.crossBorderOnly;
    if (!state.key) return;
    await this.open(state.key, { keepPathFields: true });
    for (const key of state.expanded) await this.expand(key, { remember: false });
    if (state.from && state.to) await this.highlightPaths({ remember: false });
    if (state.selected) this.select(state.selected);
    this.history = [];
    this.ui.undo.disabled = true;
  }

  // ---- undo -----------------------------------------------------------------------------

  remember() {
    this.history.push({
      elements: this.cy.elements().jsons(),
      expanded: [...this.expanded],
      results: new Map(this.results),
      paths: this.paths,
      pathList: [...this.ui.paths.childNodes],
      center: this.center,
    });
    if (this.history.length > 50) this.history.shift();
    this.ui.undo.disabled = false;
  }

  undo() {
    const last = this.history.pop();
    this.ui.undo.disabled = !this.history.length;
    if (!last) return;
    this.cy.elements().remove();
    this.cy.add(last.elements);
    Object.assign(this, { expanded: last.expanded, results: last.results, paths: last.paths, center: last.center });
    this.ui.paths.replaceChildren(...last.pathList);
    this.afterChange();
    const selected = this.selected();
    if (selected) this.showDetails(this.cy.getElementById(selected).data());
  }

  // ---- building the view ------------------------------------------------------------------

  // Start again from one entity: its neighbourhood replaces the network.
  async open(key, { keepPathFields = false } = {}) {
    const data = await graphql(NEIGHBOURHOOD, { key, depth: FIRST_DEPTH, limit: LIMIT });
    if (this.center) this.remember();
    this.load(key, data.neighbourhood);
    if (!keepPathFields) this.paths = null;
    const center = this.cy.getElementById(key);
    if (center.nonempty()) this.select(key);
  }

  /** Shows `result` ({nodes, edges}) as the view centred on `key`, laid out afresh. */
  load(key, result) {
    this.cy.elements().remove();
    this.ui.paths.replaceChildren();
    this.center = key;
    this.expanded = [];
    this.paths = null;
    this.results = new Map([['center', result]]);
    this.sync(new Map());
  }

  async expand(key, { remember = true } = {}) {
    if (this.expanded.includes(key) || key === this.center) {
      this.select(key);
      return;
    }
    const data = await graphql(NEIGHBOURHOOD, { key, depth: EXPAND_DEPTH, limit: LIMIT });
    if (remember) this.remember();
    this.expanded.push(key);
    this.results.set(`expand:${key}`, data.neighbourhood);
    this.sync(positions(this.cy), key);
    this.select(key);
  }

  // Takes back what one expansion brought (and the expansions of what only it brought),
  // keeping everything the other steps brought; nothing else moves.
  collapse(key) {
    if (!this.expanded.includes(key)) return;
    this.remember();
    let gone = [key];
    while (gone.length) {
      for (const k of gone) this.results.delete(`expand:${k}`);
      this.expanded = this.expanded.filter((k) => !gone.includes(k));
      const visible = this.visibleKeys();
      gone = this.expanded.filter((k) => !visible.has(k));
    }
    this.sync(positions(this.cy));
    if (this.cy.getElementById(key).nonempty()) this.select(key);
  }

  visibleKeys() {
    const keys = new Set();
    for (const result of this.results.values()) for (const node of result.nodes) keys.add(node.key);
    return keys;
  }

  // Makes the drawing match `results`: removes what no step brings any more, adds what is
  // new (laid out around the pinned nodes), and marks the centre and the expanded nodes.
  sync(pinned, near) {
    const nodes = new Map();
    const edges = new Map();
    for (const [step, result] of this.results) {
      for (const node of result.nodes) if (!nodes.has(node.key)) nodes.set(node.key, [node, step]);
      for (const edge of result.edges) edges.set(edge.id, edge);
    }
    this.cy.batch(() => {
      this.cy.elements(':childless').filter((e) => !(e.isNode() ? nodes.has(e.id()) : edges.has(e.id()))).remove();
      this.cy.nodes('.country').filter((box) => box.children().empty()).remove();
      const fresh = [];
      for (const [key, [node, step]] of nodes) {
        const box = `country-group:${node.countryCode}`;
        if (node.countryCode && this.cy.getElementById(box).empty() && !fresh.some((e) => e.data.id === box)) {
          fresh.push({ group: 'nodes', classes: 'country', data: { id: box, label: node.countryCode } });
        }
        if (this.cy.getElementById(key).empty()) fresh.push(nodeElement(node, step));
      }
      for (const [id, edge] of edges) if (this.cy.getElementById(id).empty()) fresh.push(edgeElement(edge));
      this.cy.add(fresh);
    });
    const anchors = new Map(this.cy.nodes(':childless').filter((n) => !pinned.has(n.id())).map((n) => [n.id(), near || this.center]));
    this.mark();
    runLayout(this.cy, { seed: this.seed + this.results.size, pinned, anchors });
    if (!pinned.size) this.cy.fit(undefined, 30);
    this.afterChange();
  }

  mark() {
    const large = this.cy.nodes(':childless').length > this.large;
    this.setPerformance(large);
    this.cy.batch(() => {
      this.cy.edges().toggleClass('large', large);
      this.cy.nodes(':childless').forEach((node) => {
        const key = node.id();
        const center = key === this.center;
        const expanded = this.expanded.includes(key);
        node.toggleClass('center', center).toggleClass('expanded', expanded);
        node.data('size', center ? SIZE.center : expanded ? SIZE.expanded : SIZE.node);
      });
    });
  }

  // Cytoscape's canvas performance options; they are renderer settings read at each frame
  // (set at creation in its API; the renderer object keeps them, Cytoscape 3.34).
  setPerformance(on) {
    const renderer = this.cy.renderer();
    renderer.hideEdgesOnViewport = on;
    renderer.textureOnViewport = on;
    renderer.motionBlur = false;
    document.body.dataset.performance = on ? 'on' : 'off';
  }

  relayout() {
    if (!this.center) return;
    this.remember();
    this.seed += 1;
    runLayout(this.cy, { seed: this.seed + this.results.size });
    this.cy.fit(undefined, 30);
    this.afterChange();
  }

  // ---- live changes -------------------------------------------------------------------------

  /** Follows the entities on screen: one stream, opened again when the set changes. */
  follow() {
    const keys = [...this.visibleKeys()].sort();
    const wanted = JSON.stringify(keys);
    if (wanted === this.followed) return;
    this.followed = wanted;
    if (this.stream) this.stream.close();
    this.stream = null;
    if (!keys.length) return;
    const params = new URLSearchParams({ query: LIVE, variables: JSON.stringify({ keys, since: this.since }) });
    this.stream = new EventSource(`/graphql?${params}`);
    this.stream.addEventListener('next', (event) => this.changed(JSON.parse(event.data)));
  }

  async changed(result) {
    const change = result.data && result.data.entityChanged;
    if (!change) return;
    this.since = Math.max(this.since ?? 0, change.sequence);
    const shown = this.visibleKeys();
    for (const key of change.keys.filter((k) => shown.has(k))) {
      const now = (await graphql(ENTITY_NOW, { key }).catch(() => ({ entity: undefined }))).entity;
      if (now === undefined) continue;  // the service is away: the next change tries again
      // Deleted, or merged into another entity (its key now leads elsewhere): it goes.
      this.retouch(key, now && now.key === key ? now : null);
    }
  }

  /** Puts an entity's current state (null: gone) into every result shown, and redraws. */
  retouch(key, now) {
    for (const result of this.results.values()) {
      result.nodes = now
        ? result.nodes.map((n) => (n.key === key ? { ...n, ...now } : n))
        : result.nodes.filter((n) => n.key !== key);
      if (!now) result.edges = result.edges.filter((e) => e.from !== key && e.to !== key);
    }
    const node = this.cy.getElementById(key);
    if (now && node.nonempty()) {
      const { name, label, countryCode, sources } = nodeElement(now).data;
      node.data({ name, label, countryCode, sources });
    } else if (node.nonempty()) {
      node.connectedEdges().remove();
      node.remove();
    }
    this.afterChange();
    if (this.selected() === key && node.inside()) this.showDetails(node.data());
  }

  afterChange() {
    this.follow();
    this.renderFilters();
    this.ui.list.render(this.cy, this.center);
    const count = this.cy.nodes(':childless').length;
    document.body.dataset.nodes = String(count);
    this.ui.network.setAttribute('aria-label', `Network picture of ${count} entities and ${this.cy.edges().length} relationships (arrow keys pan, + and − zoom, 0 fits); the list view names them`);
    this.saveUrl();
  }

  // ---- selection, details, tooltip -------------------------------------------------------

  select(key) {
    const node = this.cy.getElementById(key);
    if (node.empty()) return;
    this.cy.nodes(':selected').unselect();
    node.select();
    this.showDetails(node.data());
    this.ui.list.markSelected(key);
    this.saveUrl();
  }

  showDetails(data) {
    const key = data.id;
    const expanded = this.expanded.includes(key);
    const exports = EXPORT_FORMATS.map(([fmt, label]) =>
      el('a', { href: `/export/${fmt}?key=${encodeURIComponent(key)}&depth=2` }, label));
    this.ui.neighbourhoodExports.replaceChildren(
      `${data.name}’s 2-hop neighbourhood, from the server: `, ...exports.flatMap((a, i) => (i ? [' · ', a] : [a])));
    const action = (label, id, work) => el('button', { type: 'button', id, onclick: work }, label);
    this.ui.details.replaceChildren(
      el('h2', {}, data.name),
      el('p', { class: 'meta' }, `${kindOf(data.kind).label}${data.countryCode ? ` · ${data.countryCode}` : ''}${key === this.center ? ' · centre' : ''}`),
      el('p', { class: 'key' }, el('code', {}, key)),
      sourcesLine(data.sources),
      el('div', { class: 'buttons' },
        expanded || key === this.center
          ? action('Collapse', 'collapse', () => this.collapse(key))
          : action('Expand', 'expand', () => this.run('Expanding…', () => this.expand(key))),
        action('Centre', 'centre', () => this.run('Loading the neighbourhood…', () => this.open(key))),
        action('Path from here', 'path-from-here', () => this.ui.from.set(key, data.name)),
        action('Path to here', 'path-to-here', () => this.ui.to.set(key, data.name))));
    if (key === this.center) this.ui.details.querySelector('#collapse').disabled = true;
  }

  /** The details panel of a relationship: its type, ends, qualifiers and sources. */
  showEdge(edge) {
    const data = edge.data('edge');
    const nameOf = (key) => {
      const node = this.cy.getElementById(key);
      return node.nonempty() ? node.data('name') : key;
    };
    this.cy.nodes(':selected').unselect();
    this.ui.details.replaceChildren(
      el('h2', {}, `${nameOf(data.from)} — ${typeWords(data.type)} → ${nameOf(data.to)}`),
      el('dl', { class: 'edge-rows' }, ...edgeRows(data, nameOf).flatMap(([label, value]) => [el('dt', {}, label), el('dd', {}, value)])),
      sourcesLine(data.sources));
  }

  showTooltip(node) {
    const data = node.data();
    const at = node.renderedPosition();
    const tooltip = this.ui.tooltip;
    tooltip.replaceChildren(
      el('strong', {}, data.name),
      el('span', {}, `${kindOf(data.kind).label}${data.countryCode ? ` · ${data.countryCode}` : ''}`),
      el('span', {}, data.sources.length ? `sources: ${data.sources.map((s) => s.name).join('; ')}` : 'no source named'));
    tooltip.style.left = `${Math.round(at.x + 14)}px`;
    tooltip.style.top = `${Math.round(at.y + 14)}px`;
    tooltip.hidden = false;
  }

  // ---- paths ---------------------------------------------------------------------------

  // The fields send what search offered (the chosen key) or what was typed: the API takes
  // a key or an exact name, and refuses anything else with the keys it may mean.
  async highlightPaths({ remember = true } = {}) {
    const from = this.ui.from.value();
    const to = this.ui.to.value();
    const crossBorderOnly = this.ui.crossBorder.checked;
    const data = await graphql(PATHS, { from, to, crossBorderOnly });
    const found = data.cooperationPaths;
    if (remember) this.remember();
    this.paths = { from, to, crossBorderOnly, found };
    this.results.set('paths', { nodes: found.flatMap((p) => p.nodes), edges: found.flatMap((p) => p.edges) });
    this.sync(positions(this.cy), found.length ? found[0].nodes[0].key : undefined);
    this.highlight(found);
    this.listPaths(found);
  }

  highlight(found) {
    this.cy.elements().removeClass('on-path faded');
    if (!found.length) return;
    const onPath = this.cy.collection();
    for (const path of found) {
      for (const node of path.nodes) onPath.merge(this.cy.getElementById(node.key));
      for (const edge of path.edges) onPath.merge(this.cy.getElementById(edge.id));
    }
    onPath.addClass('on-path');
    this.cy.elements(':childless').difference(onPath).addClass('faded');
    this.cy.fit(onPath, 60);
  }

  listPaths(found) {
    if (!found.length) {
      this.ui.paths.replaceChildren(el('p', { class: 'none' }, 'No cooperation path within the hop limit.'));
      return;
    }
    const items = found.map((path) => {
      const crossings = `${path.borderCrossings} border crossing${path.borderCrossings === 1 ? '' : 's'}`;
      return el('li', { class: 'path' },
        el('strong', { class: 'countries' }, path.countries.join(' → ') || '(no country)'),
        el('span', {}, ` · ${crossings} · ${path.length} hops`),
        el('ol', {}, ...path.nodes.map((n, i) => el('li', {},
          n.name, n.countryCode ? el('small', {}, ` ${n.countryCode}`) : '',
          path.edges[i] ? el('span', { class: 'hop' }, ` — ${edgeLabel(path.edges[i])} ${path.edges[i].from === n.key ? '→' : '←'}`) : ''))));
    });
    this.ui.paths.replaceChildren(el('h2', {}, 'Paths found'), el('ul', { id: 'path-list' }, ...items));
  }

  clearPaths() {
    if (!this.paths) return;
    this.remember();
    this.paths = null;
    this.results.delete('paths');
    this.cy.elements().removeClass('on-path faded');
    this.ui.paths.replaceChildren();
    this.sync(positions(this.cy));
  }

  // ---- export what is on screen ----------------------------------------------------------

  /** The view as the export endpoints take it: each node's key, place, colour and size. */
  view() {
    return {
      nodes: this.cy.nodes(':childless').not('.filtered').map((n) => ({
        key: n.id(), x: n.position('x'), y: n.position('y'), colour: n.data('colour'), size: n.width(),
      })),
      edges: this.cy.edges().not('.filtered').map((e) => e.id()),
    };
  }

  async exportView(fmt) {
    const view = this.view();
    if (!view.nodes.length) throw new Error('there is nothing to export: the view shows no entity (search one, or show what the filters hide)');
    const response = await fetch(`/export/${fmt}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(view),
    });
    if (!response.ok) throw new Error(await errorText(response));
    const name = /filename="([^"]+)"/.exec(response.headers.get('Content-Disposition') || '');
    download(await response.blob(), name ? name[1] : `clustergraph-view.${fmt}`);
  }
}

/** A failure in words a reader can act on (the service's message, or what the network did). */
function explain(error) {
  if (error instanceof TypeError) return 'the service could not be reached (offline, or the server is down); try again in a moment';
  return error.message;
}

async function errorText(response) {
  try {
    const body = await response.json();
    if (body.errors) return body.errors[0].message;
    return body.error || `the service answered ${response.status}`;
  } catch {
    return `the service answered ${response.status}`;
  }
}

function sourcesLine(sources) {
  if (!sources || !sources.length) return el('p', { class: 'meta' }, 'No source named.');
  return el('p', { class: 'meta sources' }, 'Sources: ', sources.map((s) => s.name).join('; '));
}

const explorer = new Explorer(document.getElementById('explorer'));
// For the browser tests and for curious analysts in the console.
window.explorer = explorer;
explorer.run('Opening the view…', async () => {
  explorer.since = await lastChange();
  await explorer.restore(readState(location.search));
});
