// The fragment a Relay app would put on an entity card: on the Entity interface, refetchable
// by node(id:), which makes the compiler ask `__isEntity: __typename`.
import { graphql } from 'relay-runtime';

export const entityCard = graphql`
  fragment entityCard_entity on Entity @refetchable(queryName: "entityCardRefetchQuery") {
    key
    name
    kind
    countryCode
  }
`;

export const entityCardQuery = graphql`
  query entityCardQuery($key: String!) {
    entity(key: $key) {
      id
      ...entityCard_entity
    }
  }
`;
