// One colour per kind of entity (GraphQL's EntityKind values), shared by the explorer and the widget.
export const KIND_COLOURS = {
  CLUSTER: '#2680c2',
  META_CLUSTER: '#0b69a3',
  ORGANISATION: '#e67635',
  PERSON: '#8e44ad',
  PROJECT: '#27ab83',
  PROGRAMME: '#147d64',
  EVENT: '#e8b800',
  SECTOR: '#7b8794',
  COUNTRY: '#c2a878',
  REGION: '#b7a27a',
  CITY: '#a39171',
  SOURCE: '#cbd2d9',
};

export function kindColour(kind) {
  return KIND_COLOURS[kind] || '#52606d';
}
