// A fresh layout for large views (over a thousand nodes), in milliseconds where fCoSE's
// spectral draft takes seconds (docs/explorer-performance.md). Each country's nodes form a
// disc (a sunflower spiral, filled breadth first from its best-connected node, so that
// linked nodes sit near each other); the discs are packed in rows, largest first. Seeded:
// the seed turns each disc and breaks ties between equally connected starts.

const GOLDEN_ANGLE = Math.PI * (3 - Math.sqrt(5));
const SPACING = 30;  // sunflower step: neighbours on the spiral sit about 53 px apart
const GAP = 90;      // between discs: room for the country boxes' padding and labels

function groupsOf(nodes) {
  const groups = new Map();
  for (const node of nodes) {
    const parent = node.data('parent') || '';
    if (!groups.has(parent)) groups.set(parent, []);
    groups.get(parent).push(node);
  }
  return [...groups.entries()].sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1));
}

// Breadth first inside the group, from its best-connected node; whatever the group's own
// links do not reach starts a new search from the best-connected node left.
function spiralOrder(members, random) {
  const inGroup = new Set(members.map((n) => n.id()));
  const degree = new Map(members.map((n) => [n.id(), n.degree(false) + random()]));
  const byDegree = [...members].sort((a, b) => degree.get(b.id()) - degree.get(a.id()));
  const seen = new Set();
  const order = [];
  for (const start of byDegree) {
    if (seen.has(start.id())) continue;
    seen.add(start.id());
    const queue = [start];
    while (queue.length) {
      const node = queue.shift();
      order.push(node);
      const next = node.neighborhood('node').filter((n) => inGroup.has(n.id()) && !seen.has(n.id()));
      for (const other of next.sort((a, b) => degree.get(b.id()) - degree.get(a.id()))) {
        seen.add(other.id());
        queue.push(other);
      }
    }
  }
  return order;
}

function discRadius(count) {
  return SPACING * Math.sqrt(count) + SPACING;
}

// Rows of discs about as wide as the whole picture would be tall.
function packDiscs(groups) {
  const area = groups.reduce((sum, [, members]) => sum + (2 * discRadius(members.length) + GAP) ** 2, 0);
  const width = Math.sqrt(area) * 1.2;
  const centres = [];
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  for (const [, members] of groups) {
    const size = 2 * discRadius(members.length) + GAP;
    if (x > 0 && x + size > width) {
      x = 0;
      y += rowHeight;
      rowHeight = 0;
    }
    centres.push({ x: x + size / 2, y: y + size / 2 });
    x += size;
    rowHeight = Math.max(rowHeight, size);
  }
  return centres;
}

/** Positions (id -> {x, y}) for every childless node of `cy`, from `random` (seeded). */
export function gridPositions(cy, random) {
  const groups = groupsOf(cy.nodes(':childless'));
  const centres = packDiscs(groups);
  const placed = new Map();
  groups.forEach(([, members], g) => {
    const turn = random() * 2 * Math.PI;
    spiralOrder(members, random).forEach((node, i) => {
      const r = SPACING * Math.sqrt(i);
      const angle = turn + i * GOLDEN_ANGLE;
      placed.set(node.id(), { x: centres[g].x + r * Math.cos(angle), y: centres[g].y + r * Math.sin(angle) });
    });
  });
  return placed;
}
