// GraphiQL in the browser: bundled by esbuild at build time (npm run build), so the page needs no CDN.
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import 'graphiql/style.css';
import { createClient } from 'graphql-ws';
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';

const config = JSON.parse(document.getElementById('graphiql-config').textContent);
const url = new URL('/graphql', window.location.href).toString();
const fetcher = createGraphiQLFetcher({
  url,
  // Subscriptions go over graphql-ws on the same path.
  wsClient: createClient({ url: url.replace(/^http/, 'ws'), lazy: true }),
});
createRoot(document.getElementById('graphiql')).render(
  createElement(GraphiQL, { fetcher, defaultTabs: config.tabs, defaultEditorToolsVisibility: true }),
);
