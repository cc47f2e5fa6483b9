// Asks a running clustergraph service one query twice through Apollo Client's
// persisted-query link, and prints what happened as one JSON line: each HTTP request
// (method, whether it carried the document and the hash, the status) and both answers.
//   node apq.mjs http://127.0.0.1:PORT/graphql MODE NAME
// MODE: get (useGETForHashedQueries), get-only (every query over GET), post.
// NAME: the operation's name, fresh per run so that the service does not know its hash.
import { createHash } from 'node:crypto';
import { ApolloClient, HttpLink, InMemoryCache, gql } from '@apollo/client/core/index.js';
import { createPersistedQueryLink } from '@apollo/client/link/persisted-queries/index.js';

const [url, mode, name] = process.argv.slice(2);
if (!url || !/^http:\/\/(127\.0\.0\.1|localhost|\[::1\])[:/]/.test(url) || !mode || !name) {
  console.error('usage: node apq.mjs http://127.0.0.1:PORT/graphql get|get-only|post NAME (loopback only)');
  process.exit(2);
}

const requests = [];
async function recordingFetch(input, init = {}) {
  const response = await fetch(input, init);
  const target = new URL(String(input));
  const body = typeof init.body === 'string' ? JSON.parse(init.body) : {};
  const extensions = target.searchParams.get('extensions') ?? JSON.stringify(body.extensions ?? null);
  requests.push({
    method: init.method ?? 'POST',
    hasQuery: target.searchParams.has('query') || typeof body.query === 'string',
    hasHash: extensions.includes('sha256Hash'),
    status: response.status,
  });
  return response;
}

const sha256 = (text) => createHash('sha256').update(text).digest('hex');
const persisted = createPersistedQueryLink({ sha256, useGETForHashedQueries: mode !== 'post' });
const http = new HttpLink({ uri: url, fetch: recordingFetch, useGETForQueries: mode === 'get-only' });
const client = new ApolloClient({ link: persisted.concat(http), cache: new InMemoryCache() });

const query = gql(`query ${name}($key: String!) { entity(key: $key) { key name } }`);
const ask = async () =>
  (await client.query({ query, variables: { key: 'cluster:euroregion-beskidy' }, fetchPolicy: 'network-only' })).data;

const first = await ask();
const afterFirst = requests.length;
const second = await ask();
console.log(JSON.stringify({ requests, afterFirst, first, second }));
