// What the explorer's URL holds, so that reopening it shows the same picture: the centre,
// the expanded nodes (in the order they were expanded), the selection, the path ends and
// options (the search runs on load), the layout seed, and what the filters hide.

export function readState(search) {
  const params = new URLSearchParams(search);
  const seed = Number.parseInt(params.get('seed') || '', 10);
  return {
    key: params.get('key') || null,
    expanded: params.getAll('expand'),
    selected: params.get('select') || null,
    from: params.get('from') || '',
    to: params.get('to') || '',
    crossBorderOnly: params.get('cross') === '1',
    seed: Number.isFinite(seed) ? seed : 1,
    filters: {
      kinds: new Set(params.getAll('hide-kind')),
      countries: new Set(params.getAll('hide-country')),
      types: new Set(params.getAll('hide-type')),
    },
  };
}

export function stateUrl(state) {
  const params = new URLSearchParams();
  if (state.key) params.set('key', state.key);
  for (const key of state.expanded) params.append('expand', key);
  if (state.selected) params.set('select', state.selected);
  if (state.from) params.set('from', state.from);
  if (state.to) params.set('to', state.to);
  if (state.crossBorderOnly) params.set('cross', '1');
  params.set('seed', String(state.seed));
  const filters = state.filters || { kinds: [], countries: [], types: [] };
  for (const kind of [...filters.kinds].sort()) params.append('hide-kind', kind);
  for (const country of [...filters.countries].sort()) params.append('hide-country', country);
  for (const type of [...filters.types].sort()) params.append('hide-type', type);
  return `/explore?${params}`;
}
