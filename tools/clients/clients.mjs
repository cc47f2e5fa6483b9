// Drives real GraphQL clients, unmodified and with their defaults, against a running
// clustergraph service, and prints what happened as one JSON line: each HTTP request the
// client made (its Accept, the answer's status and Content-Type) and what the client got.
//   node clients.mjs http://127.0.0.1:PORT/graphql CLIENT KEY
// CLIENT: urql-query, urql-subscription (SSE, `fetchSubscriptions`), relay-refetch.
import { Client, cacheExchange, fetchExchange } from '@urql/core';
import { Environment, Network, RecordSource, Store, fetchQuery, getSelector } from 'relay-runtime';
import entityCardQuery from './relay/__generated__/entityCardQuery.graphql.js';
import entityCardRefetchQuery from './relay/__generated__/entityCardRefetchQuery.graphql.js';
import entityCardFragment from './relay/__generated__/entityCard_entity.graphql.js';

const [url, client, key] = process.argv.slice(2);
if (!url || !/^http:\/\/(127\.0\.0\.1|localhost|\[::1\])[:/]/.test(url) || !client || !key) {
  console.error('usage: node clients.mjs http://127.0.0.1:PORT/graphql urql-query|urql-subscription|relay-refetch KEY');
  process.exit(2);
}

const requests = [];
async function recordingFetch(input, init = {}) {
  const response = await fetch(input, init);
  const headers = new Headers(init.headers ?? {});
  requests.push({
    accept: headers.get('accept'),
    status: response.status,
    contentType: response.headers.get('content-type'),
  });
  return response;
}

const done = (result) => {
  console.log(JSON.stringify({ requests, ...result }));
  process.exit(0);
};
const describe = (error) => (error ? { message: String(error.message ?? error) } : null);

async function urqlQuery() {
  const urql = new Client({ url, exchanges: [cacheExchange, fetchExchange], fetch: recordingFetch });
  const result = await urql.query('query ($key: String!) { entity(key: $key) { key name kind } }', { key }).toPromise();
  done({ data: result.data ?? null, error: describe(result.error) });
}

function urqlSubscription() {
  const urql = new Client({
    url,
    exchanges: [cacheExchange, fetchExchange],
    fetch: recordingFetch,
    fetchSubscriptions: true,
  });
  const query = 'subscription ($keys: [String!]) { entityChanged(keys: $keys, since: 0) { sequence action key } }';
  const timer = setTimeout(() => done({ data: null, error: { message: 'no event within 20 s' } }), 20000);
  const { unsubscribe } = urql.subscription(query, { keys: [key] }).subscribe((result) => {
    clearTimeout(timer);
    unsubscribe();
    done({ data: result.data ?? null, error: describe(result.error) });
  });
}

async function relayRefetch() {
  // A Relay app's network layer: POST the compiled document as JSON.
  const network = Network.create(async (params, variables) => {
    const response = await recordingFetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query: params.text, variables }),
    });
    return response.json();
  });
  const environment = new Environment({ network, store: new Store(new RecordSource()) });
  try {
    const first = await fetchQuery(environment, entityCardQuery, { key }).toPromise();
    const id = first.entity.id;
    // What useRefetchableFragment's refetch sends: the compiled refetch query, by node(id:).
    const again = await fetchQuery(environment, entityCardRefetchQuery, { id }).toPromise();
    const snapshot = environment.lookup(getSelector(entityCardFragment, again.node));
    done({ data: { id, fragment: snapshot.data, missing: snapshot.isMissingData }, error: null });
  } catch (error) {
    done({ data: null, error: describe(error) });
  }
}

const run = { 'urql-query': urqlQuery, 'urql-subscription': urqlSubscription, 'relay-refetch': relayRefetch }[client];
if (!run) {
  console.error(`unknown client ${client}`);
  process.exit(2);
}
await run();
