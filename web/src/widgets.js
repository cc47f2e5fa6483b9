// The explorer's page parts that are not the picture: the search box (an ARIA combobox:
// arrows move through the results, Enter opens one, Escape closes them), the path-end
// fields (the same combobox, keeping its choice), and the list view, which names every
// entity and relationship in the picture for keyboards and screen readers.
import { kindOf } from './kinds.js';

export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value);
  }
  node.append(...children);
  return node;
}

function swatch(kind) {
  return el('span', { class: `shape shape-${kindOf(kind).shape}`, style: `background:${kindOf(kind).colour}`, 'aria-hidden': 'true' });
}

export class SearchBox {
  // `id` names the input; its options are `${prefix}-0`, `${prefix}-1`…
  constructor({ id = 'search', listId = 'results', prefix = 'result', label = 'Search an entity', placeholder = 'Search an entity (diacritics optional): skalacka, beskidy…' } = {}) {
    this.input = el('input', {
      id, type: 'search', autocomplete: 'off', role: 'combobox',
      'aria-label': label, 'aria-autocomplete': 'list', 'aria-expanded': 'false', 'aria-controls': listId,
      placeholder,
    });
    this.results = el('ul', { id: listId, class: 'results', role: 'listbox', 'aria-label': `${label}: suggestions`, hidden: '' });
    this.element = el('div', { class: 'search' }, this.input, this.results);
    this.prefix = prefix;
    this.active = -1;
    this.onSearch = async () => [];
    this.onChoose = () => {};
    let timer;
    this.input.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(() => this.search(this.input.value.trim()), 200);
    });
    this.input.addEventListener('keydown', (event) => this.onKey(event));
  }

  options() {
    return [...this.results.querySelectorAll('[role=option]')];
  }

  async search(text) {
    if (text.length < 2) {
      this.close();
      return;
    }
    const found = await this.onSearch(text);
    if (!found || this.input.value.trim() !== text) return;
    this.found = new Map(found.map((node) => [node.key, node]));
    const items = found.map((node, i) =>
      el('li', { id: `${this.prefix}-${i}`, role: 'option', 'aria-selected': 'false', 'data-key': node.key, onclick: () => this.choose(node) },
        swatch(node.kind), node.name,
        el('small', {}, ` ${kindOf(node.kind).label}${node.countryCode ? ` · ${node.countryCode}` : ''}`)));
    this.results.replaceChildren(...(items.length ? items : [el('li', { class: 'none', role: 'option', 'aria-disabled': 'true' }, 'nothing found')]));
    this.results.hidden = false;
    this.input.setAttribute('aria-expanded', 'true');
    this.setActive(-1);
  }

  setActive(index) {
    const options = this.options().filter((o) => o.dataset.key);
    this.active = options.length ? (index + options.length) % options.length : -1;
    if (index < 0) this.active = -1;
    options.forEach((o, i) => o.setAttribute('aria-selected', String(i === this.active)));
    if (this.active >= 0) this.input.setAttribute('aria-activedescendant', options[this.active].id);
    else this.input.removeAttribute('aria-activedescendant');
  }

  onKey(event) {
    const open = !this.results.hidden;
    if (event.key === 'ArrowDown' && open) this.setActive(this.active + 1);
    else if (event.key === 'ArrowUp' && open) this.setActive(this.active <= 0 ? this.options().filter((o) => o.dataset.key).length - 1 : this.active - 1);
    else if (event.key === 'Enter') {
      const options = this.options().filter((o) => o.dataset.key);
      const chosen = options[Math.max(this.active, 0)];
      if (open && chosen) this.choose(this.found.get(chosen.dataset.key));
    } else if (event.key === 'Escape') {
      if (open) this.close();
      else this.input.value = '';
    } else return;
    event.preventDefault();
  }

  choose(node) {
    this.close();
    this.input.value = '';
    this.onChoose(node.key, node);
  }

  close() {
    this.results.replaceChildren();
    this.results.hidden = true;
    this.input.setAttribute('aria-expanded', 'false');
    this.setActive(-1);
  }
}

// A path end: a search box whose choice stays in the field, shown by its name. `value()`
// is the chosen entity's key while the field still shows its name, else what was typed
// (the API takes a key or an exact name).
const KEY = /^[a-z][a-z0-9-]*:[a-z0-9][a-z0-9.-]*$/;

export class EntityField extends SearchBox {
  constructor(options) {
    super(options);
    this.picked = null;
    this.element.classList.add('entity-field');
    // The suggestions close when the field loses focus; pressing on one keeps the focus.
    this.results.addEventListener('mousedown', (event) => event.preventDefault());
    this.input.addEventListener('blur', () => this.close());
  }

  // A key needs no suggestions (and a pasted key should not hide the form under a list);
  // an answer that comes after the focus left is not shown.
  async search(text) {
    if (KEY.test(text)) {
      this.close();
      return;
    }
    await super.search(text);
    if (document.activeElement !== this.input) this.close();
  }

  choose(node) {
    this.close();
    this.set(node.key, node.name);
    this.onChoose(node.key, node);
  }

  set(key, name) {
    this.picked = key ? { key, name: name || key } : null;
    this.input.value = this.picked ? this.picked.name : '';
    this.input.dataset.key = key || '';
  }

  value() {
    const text = this.input.value.trim();
    return this.picked && text === this.picked.name ? this.picked.key : text;
  }
}

export class ListView {
  constructor() {
    this.summary = el('summary', {}, 'List view');
    this.nodes = el('ul', { id: 'view-nodes', 'aria-label': 'Entities in the view' });
    this.edges = el('ul', { id: 'view-edges', 'aria-label': 'Relationships in the view' });
    this.element = el('details', { id: 'list-view' }, this.summary,
      el('h3', {}, 'Entities'), this.nodes, el('h3', {}, 'Relationships'), this.edges);
    this.onSelect = () => {};
  }

  // Mirrors the picture: one button per entity (it selects, as a click on the node does)
  // and one line per relationship.
  render(cy, center) {
    const nodes = cy.nodes(':childless').sort((a, b) => a.data('name').localeCompare(b.data('name')));
    const names = new Map(nodes.map((n) => [n.id(), n.data('name')]));
    this.summary.textContent = `List view: ${nodes.length} entities, ${cy.edges().length} relationships`;
    this.nodes.replaceChildren(...nodes.map((n) => {
      const d = n.data();
      const notes = [kindOf(d.kind).label, d.countryCode, n.id() === center ? 'centre' : '', n.hasClass('expanded') ? 'expanded' : '']
        .filter(Boolean).join(' · ');
      return el('li', { 'data-key': n.id() },
        el('button', { type: 'button', 'aria-pressed': String(n.selected()), onclick: () => this.onSelect(n.id()) }, d.name),
        el('small', {}, ` ${notes}`));
    }));
    this.edges.replaceChildren(...cy.edges().map((e) =>
      el('li', { 'data-id': e.id() }, `${names.get(e.source().id())} — ${e.data('type').toLowerCase().replaceAll('_', ' ')} → ${names.get(e.target().id())}`)));
  }

  markSelected(key) {
    for (const button of this.nodes.querySelectorAll('button')) {
      button.setAttribute('aria-pressed', String(button.parentElement.dataset.key === key));
    }
  }
}
