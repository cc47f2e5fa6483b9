"""The GraphQL API: schema types, root fields, errors and extensions (HTTP lives in `http`)."""
