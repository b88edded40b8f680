import type { ApolloServerPlugin } from '@apollo/server';
import { graphiqlHtml } from './graphiql.assets';

/** Apollo's landing page (GET /graphql from a browser) becomes the bundled GraphiQL: works offline. */
export function graphiqlLandingPage(endpoint: string): ApolloServerPlugin {
  const html = graphiqlHtml(endpoint);
  return {
    async serverWillStart() {
      return {
        async renderLandingPage() {
          return { html };
        },
      };
    },
  };
}
