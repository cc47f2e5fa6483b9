// Runs every server audit of graphql-http against the URL given as the first argument
// and prints one JSON line per audit; exits 1 unless all of them pass ("ok").
import { serverAudits } from 'graphql-http';

const url = process.argv[2];
if (!url || !/^http:\/\/(127\.0\.0\.1|localhost|\[::1\])[:/]/.test(url)) {
  console.error('usage: node audit.mjs http://127.0.0.1:PORT/graphql (loopback only)');
  process.exit(2);
}

let failed = 0;
for (const audit of serverAudits({ url })) {
  const result = await audit.fn();
  const line = { id: audit.id, name: audit.name, status: result.status };
  if (result.status !== 'ok') {
    failed += 1;
    line.reason = result.reason;
    if (result.response) {
      line.httpStatus = result.response.status;
      line.contentType = result.response.headers.get('content-type');
      try { line.body = (await result.response.text()).slice(0, 300); } catch { /* consumed */ }
    }
  }
  console.log(JSON.stringify(line));
}
console.log(JSON.stringify({ summary: { failed } }));
process.exit(failed ? 1 : 0);
