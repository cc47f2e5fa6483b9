// @neo4j/graphql over the same Neo4j as clustergraph, for the benchmark (bench/README.md).
// A bare node:http server executing with graphql-js, so the figures are the library's own.
import { readFileSync } from "node:fs";
import http from "node:http";
import { Neo4jGraphQL } from "@neo4j/graphql";
import { graphql } from "graphql";
import neo4j from "neo4j-driver";

const driver = neo4j.driver(
  process.env.NEO4J_URI,
  neo4j.auth.basic(process.env.NEO4J_USER ?? "neo4j", process.env.NEO4J_PASSWORD ?? ""),
);
const typeDefs = readFileSync(new URL("./typeDefs.graphql", import.meta.url), "utf8");
const schema = await new Neo4jGraphQL({ typeDefs, driver }).getSchema();
const database = process.env.NEO4J_DATABASE ?? "neo4j";

const server = http.createServer(async (request, response) => {
  const chunks = [];
  for await (const chunk of request) chunks.push(chunk);
  let result;
  try {
    const { query, variables } = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}");
    result = await graphql({
      schema,
      source: query,
      variableValues: variables,
      contextValue: { sessionConfig: { database } },
    });
  } catch (error) {
    result = { errors: [{ message: String(error) }] };
  }
  response.writeHead(200, { "content-type": "application/json" });
  response.end(JSON.stringify(result));
});
server.listen(Number(process.env.PORT ?? 4000), "127.0.0.1");
