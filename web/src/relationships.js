// What a relationship says, in words: the label drawn on an edge (`PARTNER_IN (lead)`), the
// line of a path's hop, and the rows of the edge's details panel, all from the same fields
// the API gives (GraphEdge: role, partner number, project, via, since, sources).

export const EDGE_FIELDS = 'id type from to role partnerNumber via project since sources { key name }';

/** The label drawn on the edge: its type, then what qualifies it. */
export function edgeLabel(edge) {
  const notes = [edge.role, edge.partnerNumber != null ? `no. ${edge.partnerNumber}` : null, edge.since ? `since ${edge.since}` : null]
    .filter(Boolean);
  return notes.length ? `${edge.type} (${notes.join(', ')})` : edge.type;
}

/** The relationship type as words: `PARTNER_IN` -> `partner in`. */
export function typeWords(type) {
  return type.toLowerCase().replaceAll('_', ' ');
}

/** The rows of the details panel: [label, value] for each field the relationship has. */
export function edgeRows(edge, nameOf) {
  const rows = [
    ['Type', edge.type],
    ['From', nameOf(edge.from)],
    ['To', nameOf(edge.to)],
    ['Role', edge.role],
    ['Partner number', edge.partnerNumber != null ? String(edge.partnerNumber) : null],
    ['Project', edge.project ? nameOf(edge.project) : null],
    ['Through', edge.via ? nameOf(edge.via) : null],
    ['Since', edge.since],
  ];
  return rows.filter(([, value]) => value);
}
