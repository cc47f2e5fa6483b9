// What the analyst has chosen not to see: kinds, countries and relationship types. The
// state is three sets of hidden values; the panel offers what the view holds, with counts;
// the legend's kinds toggle the same state; the URL and the exports follow it.
import { KINDS, kindOf } from './kinds.js';
import { typeWords } from './relationships.js';
import { el } from './widgets.js';

const NO_COUNTRY = '(none)';

export function emptyFilters() {
  return { kinds: new Set(), countries: new Set(), types: new Set() };
}

/** Whether a node's data passes the filters. */
export function showsNode(filters, data) {
  return !filters.kinds.has(data.kind) && !filters.countries.has(data.countryCode || NO_COUNTRY);
}

/** Hides what the filters exclude (an edge goes with either end); returns what is hidden. */
export function applyFilters(cy, filters) {
  let nodes = 0;
  let edges = 0;
  cy.batch(() => {
    cy.nodes(':childless').forEach((node) => {
      const hide = !showsNode(filters, node.data());
      node.toggleClass('filtered', hide);
      if (hide) nodes += 1;
    });
    cy.edges().forEach((edge) => {
      const hide = filters.types.has(edge.data('type')) || edge.source().hasClass('filtered') || edge.target().hasClass('filtered');
      edge.toggleClass('filtered', hide);
      if (hide) edges += 1;
    });
    // A country box with nothing shown in it goes too.
    cy.nodes('.country').forEach((box) => {
      box.toggleClass('filtered', box.children().not('.filtered').empty());
    });
  });
  return { nodes, edges };
}

function counts(values) {
  const found = new Map();
  for (const value of values) found.set(value, (found.get(value) || 0) + 1);
  return [...found.entries()].sort(([a], [b]) => String(a).localeCompare(String(b)));
}

/** The filter panel: one checkbox per kind, country and relationship type in the view. */
export class FilterPanel {
  constructor() {
    this.groups = el('div', { class: 'filter-groups' });
    this.hidden = el('p', { id: 'hidden-count', class: 'meta', 'aria-live': 'polite' });
    this.reset = el('button', { type: 'button', id: 'show-all' }, 'Show all');
    this.element = el('section', { id: 'filters' },
      el('h2', {}, 'Filters'), this.hidden, this.groups, el('div', { class: 'buttons' }, this.reset));
    this.onChange = () => {};
    this.reset.addEventListener('click', () => this.onChange(emptyFilters()));
  }

  render(cy, filters, hidden) {
    const nodes = cy.nodes(':childless').map((n) => n.data());
    const group = (title, name, entries, label, chosen) => el('fieldset', { class: 'filter', 'data-filter': name },
      el('legend', {}, title),
      ...entries.map(([value, count]) => {
        const box = el('input', { type: 'checkbox', 'data-value': value });
        box.checked = !chosen.has(value);
        box.addEventListener('change', () => {
          const next = cloneFilters(filters);
          if (box.checked) next[name].delete(value);
          else next[name].add(value);
          this.onChange(next);
        });
        return el('label', {}, box, ` ${label(value)} `, el('small', {}, `(${count})`));
      }));
    // A value hidden but no longer in the view still shows, so that it can be shown again.
    const withChosen = (entries, chosen) => {
      const seen = new Set(entries.map(([v]) => v));
      return [...entries, ...[...chosen].filter((v) => !seen.has(v)).map((v) => [v, 0])];
    };
    this.groups.replaceChildren(
      group('Kinds', 'kinds', withChosen(counts(nodes.map((d) => d.kind)), filters.kinds), (k) => kindOf(k).label, filters.kinds),
      group('Countries', 'countries', withChosen(counts(nodes.map((d) => d.countryCode || NO_COUNTRY)), filters.countries), (c) => c, filters.countries),
      group('Relationships', 'types', withChosen(counts(cy.edges().map((e) => e.data('type'))), filters.types), typeWords, filters.types));
    this.hidden.textContent = hidden.nodes || hidden.edges
      ? `Hidden by filters: ${hidden.nodes} ${hidden.nodes === 1 ? 'entity' : 'entities'}, ${hidden.edges} ${hidden.edges === 1 ? 'relationship' : 'relationships'}.`
      : 'Nothing hidden.';
    this.reset.disabled = !(filters.kinds.size || filters.countries.size || filters.types.size);
  }
}

export function cloneFilters(filters) {
  return { kinds: new Set(filters.kinds), countries: new Set(filters.countries), types: new Set(filters.types) };
}

/** The legend: one toggle button per kind, pressed while the kind is shown. */
export function legendButtons(filters, onToggle) {
  return Object.entries(KINDS).map(([kind, k]) => {
    const button = el('button', { type: 'button', 'data-kind': kind, 'aria-pressed': String(!filters.kinds.has(kind)), title: `Show or hide ${k.label.toLowerCase()} entities` },
      el('span', { class: `shape shape-${k.shape}`, style: `background:${k.colour}`, 'aria-hidden': 'true' }), k.label);
    button.addEventListener('click', () => onToggle(kind));
    return el('li', { 'data-kind': kind }, button);
  });
}
