import { dirname, join } from 'node:path';

/** The files the offline GraphiQL page loads, served from node_modules (no CDN). */
const pkgDir = (name: string) => dirname(require.resolve(`${name}/package.json`));

export const GRAPHIQL_ASSETS: Record<string, { path: string; type: string }> = {
  'react.production.min.js': { path: join(pkgDir('react'), 'umd', 'react.production.min.js'), type: 'text/javascript' },
  'react-dom.production.min.js': { path: join(pkgDir('react-dom'), 'umd', 'react-dom.production.min.js'), type: 'text/javascript' },
  'graphiql.min.js': { path: join(pkgDir('graphiql'), 'graphiql.min.js'), type: 'text/javascript' },
  'graphiql.min.css': { path: join(pkgDir('graphiql'), 'graphiql.min.css'), type: 'text/css' },
};

export const GRAPHIQL_ASSET_PREFIX = '/graphiql/assets';

/** The example a visitor sees first: ranked, explained recommendations for one user. */
export const DEFAULT_QUERY = `# TasteGraph: ranked, explained, social-aware recommendations.
# Change the user id to one of yours (lastfm:u2, synthetic:u174, ...). Admin mutations need the
# header {"authorization": "Bearer <ADMIN_TOKEN>"} (Headers tab below); where API keys are
# configured, other operations need {"x-api-key": "<secret>"} with the read, write or delete scope.
query Recommend($user: ID! = "lastfm:u2") {
  user(id: $user) { id name }
  recommendations(userId: $user, first: 10, explain: true) {
    modelKind
    path
    edges { node { id rank score isNew item { id title tags } explanation { sentence friends { user { id name } } } } }
    pageInfo { hasNextPage endCursor }
  }
  activeModel { id kind metrics { validation { name value } } }
  graphStats { nodes { name count } relationships { name count } }
}
`;

/** GraphiQL 3 from its UMD bundle: the whole page works without internet access. */
export function graphiqlHtml(endpoint: string): string {
  const a = GRAPHIQL_ASSET_PREFIX;
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8" />
  <title>TasteGraph GraphiQL</title>
  <link rel="stylesheet" href="${a}/graphiql.min.css" />
  <style>html, body, #graphiql { height: 100%; margin: 0; }</style>
</head>
<body>
  <div id="graphiql">Loading GraphiQL…</div>
  <script src="${a}/react.production.min.js"></script>
  <script src="${a}/react-dom.production.min.js"></script>
  <script src="${a}/graphiql.min.js"></script>
  <script>
    const fetcher = GraphiQL.createFetcher({ url: ${JSON.stringify(endpoint)} });
    ReactDOM.createRoot(document.getElementById('graphiql')).render(
      React.createElement(GraphiQL, { fetcher, defaultQuery: ${JSON.stringify(DEFAULT_QUERY)}, defaultEditorToolsVisibility: true }),
    );
  </script>
</body>
</html>`;
}
