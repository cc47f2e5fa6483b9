// Builds the explorer and the widget into dist/ (run by scripts/setup: npm run build).
// The widget asks for its data with the hash of a persisted query document; the hash is
// read here from the same file the service reads, so the two cannot drift apart.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { build } from 'esbuild';

const persisted = new URL('../src/clustergraph/http/persisted/widget-partners.graphql', import.meta.url);
const widgetQueryHash = createHash('sha256').update(readFileSync(persisted, 'utf8'), 'utf8').digest('hex');

const common = { bundle: true, minify: true, target: 'es2020', logLevel: 'warning' };

await build({ ...common, entryPoints: ['src/explorer.js', 'src/explorer.css'], outdir: 'dist', format: 'iife' });
await build({
  ...common,
  entryPoints: ['src/widget.js'],
  outfile: 'dist/widget.js',
  format: 'iife',
  define: { WIDGET_QUERY_HASH: JSON.stringify(widgetQueryHash) },
});
