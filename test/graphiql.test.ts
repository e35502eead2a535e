import { beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { chromium, type Browser, type Page } from 'playwright-core';
import { importDemoThread } from '../src/demo/import-demo.js';
import { graphiqlAssets } from '../src/http/graphiql.js';
import { VoteDocument } from '../schema/trusted-documents/graphql.js';
import type { TestServer } from './support/harness.js';
import { leave, startTestServer } from './support/servers.js';

const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const screenshot = new URL('./artifacts/graphiql.png', import.meta.url).pathname;

let server: TestServer;
let browser: Browser;
let page: Page;
let questionRowId: number;

beforeAll(async () => {
  if (!existsSync(executablePath)) throw new Error(`No Chromium at ${executablePath}: apt-get install chromium`);
  if (!existsSync(graphiqlAssets))
    throw new Error('The GraphiQL bundle is missing: npm test builds it (npm run build)');
  server = await startTestServer();
  questionRowId = await importDemoThread(server.db, server.services, { password: 'demo-password' });
  browser = await chromium.launch({
    executablePath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'],
  });
  leave(() => browser.close());
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  // The page must work with no internet: any request off this server is refused, and fails the test.
  const host = new URL(server.url).host;
  await page.route('**/*', (route) =>
    new URL(route.request().url()).host === host ? route.continue() : route.abort('blockedbyclient'),
  );
}, 60_000);

/** Waits until GraphiQL's result pane shows `text`. */
function resultShows(text: string, timeout = 15_000): Promise<void> {
  return page.locator('.result-window', { hasText: text }).waitFor({ timeout });
}

describe('GraphiQL', () => {
  it('should run the demo thread query from its first tab, offline', async () => {
    const offSite: string[] = [];
    page.on('requestfailed', (request) => offSite.push(request.url()));
    await page.goto(`${server.url}/graphiql`);
    await page.locator('.graphiql-execute-button').click();
    await resultShows(
      'Le Mouvement des entrepreneurs sociaux Midi-Pyrénées cherche à attirer des entrepreneurs sociaux',
    );
    expect(offSite).toEqual([]);
  }, 30_000);

  it('should show the schema in the docs explorer', async () => {
    await page.locator('[aria-label="Show Documentation Explorer"]').click();
    await page.locator('.graphiql-doc-explorer', { hasText: 'Query' }).waitFor({ timeout: 10_000 });
  }, 20_000);

  it('should watch the thread live from its second tab and show a vote cast over HTTP', async () => {
    await page.locator('.graphiql-tab', { hasText: 'WatchThread' }).click();
    // GraphiQL takes the operation name from the editor once it has parsed the new tab's document.
    await page.locator('.graphiql-query-editor', { hasText: 'subscription WatchThread' }).waitFor();
    await page.waitForTimeout(1000);
    await page.locator('.graphiql-execute-button').click();
    const target = Buffer.from(`Question:${questionRowId}`).toString('base64url');
    // The socket opens on the first subscription: vote again (as another reader) until the page has it.
    let shown = false;
    for (let attempt = 1; attempt <= 10 && !shown; attempt += 1) {
      const voter = await server.signUp();
      const voted = await server.gql(VoteDocument, { input: { targetId: target, value: 'UP' } }, voter.token);
      expect(voted.data?.vote.score).toBe(7 + attempt);
      shown = await resultShows(`"score": ${7 + attempt}`, 1500).then(
        () => true,
        () => false,
      );
    }
    expect(shown).toBe(true);
    expect(await page.locator('.result-window').innerText()).toContain('SCORE_CHANGED');
    await mkdir(new URL('./artifacts/', import.meta.url), { recursive: true });
    await page.screenshot({ path: screenshot });
  }, 60_000);
});
