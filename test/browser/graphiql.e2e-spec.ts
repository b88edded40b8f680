/**
 * The API's landing page in headless Chromium (Debian's /usr/bin/chromium via playwright-core) with
 * every request off loopback blocked: GET /graphql renders the bundled GraphiQL, which runs a query
 * against the app and shows the answer. Proves the page works offline.
 * Screenshot: var/screenshots/graphiql.png (graphiql-failure.png on failure).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { BrowserContext, chromium } from 'playwright-core';
import { startApp, TestApp } from '../support/app';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const SHOTS = resolve(__dirname, '../../var/screenshots');
const QUERY = '{ graphStats { nodes { name count } } }';

describe('GraphiQL landing page (headless Chromium, offline)', () => {
  let t: TestApp;
  let context: BrowserContext | undefined;
  let userDataDir = '';
  const offsite: string[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: run scripts/setup-system.sh or set CHROMIUM_PATH`);
    mkdirSync(SHOTS, { recursive: true });
    t = await startApp();
    userDataDir = mkdtempSync(join(tmpdir(), 'tastegraph-graphiql-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
      viewport: { width: 1400, height: 900 },
    });
    context.setDefaultTimeout(60_000);
    await context.route(
      (url) => !/^(127\.0\.0\.1|localhost)$/.test(url.hostname),
      (route) => {
        offsite.push(route.request().url());
        return route.abort('blockedbyclient');
      },
    );
    // GraphiQL keeps the editor's query in localStorage: start from a query whose answer we know the shape of.
    await context.addInitScript(
      (q) => (globalThis as unknown as { localStorage: { setItem(k: string, v: string): void } }).localStorage.setItem('graphiql:query', q),
      QUERY,
    );
  }, 120_000);

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
    await t?.close();
  });

  it('renders GraphiQL at /graphql and runs a query against the API', async () => {
    const page = context!.pages()[0] ?? (await context!.newPage());
    try {
      await page.goto(`${t.url}/graphql`, { waitUntil: 'load' });
      await page.locator('.graphiql-container').waitFor({ state: 'visible' });
      await page.locator('.graphiql-execute-button').click();
      const result = page.locator('.result-window');
      await result.filter({ hasText: '"graphStats"' }).waitFor({ state: 'visible' });
      const text = await result.innerText();
      expect(text).toContain('"nodes"');
      expect(text).not.toContain('"errors"');
      expect(offsite).toEqual([]); // nothing was fetched from outside
      await page.screenshot({ path: join(SHOTS, 'graphiql.png') });
      rmSync(join(SHOTS, 'graphiql-failure.png'), { force: true });
    } catch (err) {
      await page.screenshot({ path: join(SHOTS, 'graphiql-failure.png') }).catch(() => undefined);
      throw err;
    }
  });
});
