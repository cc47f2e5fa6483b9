// One colour and one shape per kind of entity (GraphQL's EntityKind values), shared by the
// explorer and the widget. The colours were chosen to stay apart (CIELAB distance at least
// 20) for normal vision and under simulated protanopia, deuteranopia and tritanopia
// (tests/test_kind_colours.py checks it); the shapes say the kind again without colour.
export const KINDS = {
  CLUSTER: { colour: '#6666ee', shape: 'ellipse', label: 'cluster' },
  META_CLUSTER: { colour: '#2200aa', shape: 'hexagon', label: 'meta-cluster' },
  ORGANISATION: { colour: '#ee8822', shape: 'round-rectangle', label: 'organisation' },
  PERSON: { colour: '#ee88ee', shape: 'ellipse', label: 'person' },
  PROJECT: { colour: '#44aa66', shape: 'round-diamond', label: 'project' },
  PROGRAMME: { colour: '#aaee88', shape: 'barrel', label: 'programme' },
  EVENT: { colour: '#eeee00', shape: 'triangle', label: 'event' },
  SECTOR: { colour: '#886688', shape: 'concave-hexagon', label: 'sector' },
  COUNTRY: { colour: '#440000', shape: 'rectangle', label: 'country' },
  REGION: { colour: '#aa2200', shape: 'pentagon', label: 'region' },
  CITY: { colour: '#00eecc', shape: 'octagon', label: 'city' },
  SOURCE: { colour: '#000022', shape: 'tag', label: 'source' },
};

export const KIND_COLOURS = Object.fromEntries(Object.entries(KINDS).map(([kind, k]) => [kind, k.colour]));

const OTHER = { colour: '#52606d', shape: 'ellipse', label: 'other' };

export function kindOf(kind) {
  return KINDS[kind] || OTHER;
}

export function kindColour(kind) {
  return kindOf(kind).colour;
}
