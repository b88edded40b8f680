/**
 * The analysts' Neo4j Browser guide (explorer/public/guide/tastegraph.html, served by the API at
 * /explore/guide/): every runnable statement passes EXPLAIN on the real database, the file is served to
 * other origins, and Neo4j Browser (headless Chromium, connected to the test instance) opens it with
 * `:play http://localhost:<api port>/explore/guide/tastegraph.html`. Screenshot: var/screenshots/neo4j-guide.png.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Driver } from 'neo4j-driver';
import { BrowserContext, chromium, Page } from 'playwright-core';
import { startApp, TestApp } from '../support/app';
import { testDriver } from '../support/graph';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const HTTP_PORT = process.env.NEO4J_HTTP_PORT || '7474';
const BOLT_PORT = process.env.NEO4J_BOLT_PORT || '7687';
const PASSWORD = process.env.NEO4J_PASSWORD || '';
const SHOTS = resolve(__dirname, '../../var/screenshots');
const ROOT = resolve(__dirname, '../..');
const GUIDE = join(ROOT, 'explorer/public/guide/tastegraph.html');

/** The guide's runnable statements, as Neo4j Browser will run them. */
const runnable = (html: string) =>
  [...html.matchAll(/<pre mode="cypher" class="runnable">([\s\S]*?)<\/pre>/g)].map((m) =>
    m[1].replace(/^\n/, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&').trim(),
  );

describe('Neo4j Browser guide for analysts', () => {
  let t: TestApp;
  let driver: Driver;
  let context: BrowserContext | undefined;
  let page: Page;
  let userDataDir = '';

  beforeAll(async () => {
    execFileSync('npx', ['vite', 'build', '--config', 'explorer/vite.config.mts'], { cwd: ROOT, stdio: 'pipe' });
    driver = testDriver();
    t = await startApp();
  }, 120_000);
  afterAll(async () => {
    await context?.close().catch(() => undefined);
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
    await t?.close();
    await driver.close();
  });

  it('every runnable statement is valid Cypher on the real server (EXPLAIN), with $user and $item', async () => {
    const statements = runnable(readFileSync(GUIDE, 'utf8'));
    const cypher = statements.filter((s) => !s.startsWith(':'));
    expect(statements.filter((s) => s.startsWith(':param'))).toHaveLength(2);
    expect(cypher.length).toBeGreaterThanOrEqual(8);
    for (const statement of cypher) {
      await expect(driver.executeQuery(`EXPLAIN ${statement}`, { user: 'nobody', item: 'nothing' })).resolves.toBeDefined();
    }
  });

  it('is served to other origins (Neo4j Browser fetches it from its own page)', async () => {
    const res = await fetch(`${t.url}/explore/guide/tastegraph.html`, { headers: { origin: `http://127.0.0.1:${HTTP_PORT}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(await res.text()).toContain('<slide');
  });

  it('opens in Neo4j Browser with :play', async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: run scripts/setup-system.sh or set CHROMIUM_PATH`);
    mkdirSync(SHOTS, { recursive: true });
    userDataDir = mkdtempSync(join(tmpdir(), 'tastegraph-guide-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking'],
      viewport: { width: 1400, height: 1100 },
    });
    context.setDefaultTimeout(60_000);
    await context.route(
      (url) => !/^(127\.0\.0\.1|localhost|\[::1\])$/.test(url.hostname),
      (route) => route.abort('blockedbyclient'),
    );
    page = context.pages()[0] ?? (await context.newPage());
    try {
      await page.goto(`http://127.0.0.1:${HTTP_PORT}/browser/`, { waitUntil: 'domcontentloaded' });
      const connect = page.getByTestId('connect');
      const editor = page.getByTestId('activeEditor').filter({ hasText: /neo4j\s*\$/ });
      await connect.or(editor).first().waitFor({ state: 'visible' });
      if (await connect.isVisible()) {
        await page.getByTestId('bolt-scheme-select').selectOption('bolt://');
        await page.getByTestId('boltaddress').fill(`127.0.0.1:${BOLT_PORT}`);
        if (PASSWORD) {
          await page.getByTestId('authenticationMethod').selectOption('NATIVE');
          await page.getByTestId('username').fill('neo4j');
          await page.getByTestId('password').fill(PASSWORD);
        } else {
          await page.getByTestId('authenticationMethod').selectOption('NO_AUTH');
        }
        await connect.click();
      }
      await editor.waitFor({ state: 'visible' });
      // localhost is on Neo4j Browser's default guide allowlist (scripts/services.sh adds 127.0.0.1)
      const url = `${t.url.replace('127.0.0.1', 'localhost')}/explore/guide/tastegraph.html`;
      await page.getByTestId('activeEditor').click();
      await page.keyboard.type(`:play ${url}`);
      await page.getByTestId('editor-Run').click();
      await page.getByText('TasteGraph for analysts').first().waitFor({ state: 'visible' });
      expect(await page.getByText('Hostname is not allowed').count()).toBe(0);
      await page.screenshot({ path: join(SHOTS, 'neo4j-guide.png') });
    } catch (err) {
      await page.screenshot({ path: join(SHOTS, 'neo4j-guide-failure.png') }).catch(() => undefined);
      throw err;
    }
  }, 240_000);
});
