// Seeded, deterministic layout: the same elements and seed give the same picture, and
// nodes already on screen keep their places when the view grows.
// fCoSE draws its random numbers from Math.random, so a layout runs with Math.random
// replaced by a seeded generator (mulberry32) and put back at once; with `animate: false`
// the layout runs synchronously, inside that window.

import { gridPositions } from './grid-layout.js';

export function seededRandom(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function withSeed(seed, work) {
  const saved = Math.random;
  Math.random = seededRandom(seed);
  try {
    return work();
  } finally {
    Math.random = saved;
  }
}

// Over this many nodes a fresh layout is the country grid (grid-layout.js), not fCoSE.
const HUGE = 1000;

// Where the nodes are now (childless ones: compound boxes follow their children).
export function positions(cy) {
  return new Map(cy.nodes(':childless').map((n) => [n.id(), { ...n.position() }]));
}

// New nodes start next to the node they came from (or the middle), spread by the seed.
function placeNew(cy, pinned, anchors, random) {
  for (const node of cy.nodes(':childless')) {
    if (pinned.has(node.id())) continue;
    const near = pinned.get(anchors.get(node.id())) || { x: 0, y: 0 };
    node.position({ x: near.x + 120 * (random() - 0.5), y: near.y + 120 * (random() - 0.5) });
  }
}

// fCoSE honours fixed nodes up to a shift of the whole picture: undo the shift, then put
// the pinned nodes back exactly.
function restorePinned(cy, pinned) {
  let dx = 0;
  let dy = 0;
  let count = 0;
  for (const [id, at] of pinned) {
    const node = cy.getElementById(id);
    if (node.empty()) continue;
    dx += node.position('x') - at.x;
    dy += node.position('y') - at.y;
    count += 1;
  }
  if (!count) return;
  dx /= count;
  dy /= count;
  for (const node of cy.nodes(':childless')) {
    if (pinned.has(node.id())) node.position(pinned.get(node.id()));
    else node.position({ x: node.position('x') - dx, y: node.position('y') - dy });
  }
}

/**
 * Lays the graph out. `pinned`: id -> position of nodes that must not move (empty for a
 * fresh layout); `anchors`: new node id -> the pinned node it should start near.
 */
export function runLayout(cy, { seed, pinned = new Map(), anchors = new Map() }) {
  const childless = cy.nodes(':childless');
  const fresh = childless.filter((n) => !pinned.has(n.id()));
  if (!fresh.length) return;
  const large = childless.length > 400;
  const incremental = pinned.size > 0;
  const random = seededRandom(seed ^ 0x5bd1e995);
  if (!incremental && childless.length > HUGE) {
    const placed = gridPositions(cy, random);
    cy.batch(() => childless.forEach((node) => { node.position(placed.get(node.id())); }));
    return;
  }
  if (incremental) placeNew(cy, pinned, anchors, random);
  const fixed = incremental
    ? childless.filter((n) => pinned.has(n.id())).map((n) => ({ nodeId: n.id(), position: { ...pinned.get(n.id()) } }))
    : undefined;
  withSeed(seed, () => {
    cy.layout({
      name: 'fcose',
      quality: large ? 'default' : 'proof',
      animate: false,
      randomize: !incremental,
      fit: false,
      // fCoSE keeps each country's box compact and the boxes apart; labels count as size.
      nodeDimensionsIncludeLabels: !large,
      nodeRepulsion: () => 12000,
      idealEdgeLength: () => (large ? 60 : 110),
      nestingFactor: 0.5,
      gravity: 0.3,
      gravityCompound: 1.2,
      nodeSeparation: 90,
      numIter: large ? 1500 : 2500,
      fixedNodeConstraint: fixed,
      padding: 30,
    }).run();
  });
  if (incremental) restorePinned(cy, pinned);
}
