/**
 * Neo4j Browser against the running test instance, as a person would use it: headless Chromium
 * (Debian's /usr/bin/chromium, driven by playwright-core) opens http://127.0.0.1:$NEO4J_HTTP_PORT/browser/,
 * fills the connect form (bolt://127.0.0.1:$NEO4J_BOLT_PORT, "No authentication" when NEO4J_PASSWORD is
 * empty, else neo4j / NEO4J_PASSWORD), connects, runs `RETURN 1 AS answer` and checks the result frame.
 * Screenshot: var/screenshots/neo4j-browser-connected.png (and neo4j-browser-failure.png on failure).
 *
 * Needs: the Neo4j instance started by scripts/services.sh (the test script does that) and Chromium
 * (scripts/setup-system.sh installs it). Selectors are Neo4j Browser 5.24's data-testid attributes.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { BrowserContext, Locator, Page, chromium } from 'playwright-core';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const HTTP_PORT = process.env.NEO4J_HTTP_PORT || '7474';
const BOLT_PORT = process.env.NEO4J_BOLT_PORT || '7687';
const PASSWORD = process.env.NEO4J_PASSWORD || '';
const BROWSER_URL = `http://127.0.0.1:${HTTP_PORT}/browser/`;
const SHOTS = resolve(__dirname, '../../var/screenshots');
const STEP_MS = 60_000;

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The frame (ARTICLE data-testid=frame) whose command line starts with `command`. */
function frameFor(page: Page, command: string | RegExp): Locator {
  return page
    .getByTestId('frame')
    .filter({ has: page.getByTestId('frameCommand').filter({ hasText: command }) })
    .first();
}

describe('Neo4j Browser (headless Chromium)', () => {
  let userDataDir = '';
  let context: BrowserContext | undefined;
  let page: Page;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `Chromium not found at ${CHROMIUM}: run scripts/setup-system.sh (installs Debian's chromium) ` +
          'or set CHROMIUM_PATH to a Chromium binary.',
      );
    }
    mkdirSync(SHOTS, { recursive: true });
    userDataDir = mkdtempSync(join(tmpdir(), 'tastegraph-chromium-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1400, height: 1600 },
      timeout: STEP_MS,
    });
    context.setDefaultTimeout(STEP_MS);
    // Only loopback is reachable: fail other requests (Google Fonts, telemetry) at once instead of
    // waiting for DNS. WebSockets (the Bolt connection) are not routed and pass untouched.
    await context.route(
      (url) => !/^(127\.0\.0\.1|localhost|\[::1\])$/.test(url.hostname),
      (route) => route.abort('blockedbyclient'),
    );
    page = context.pages()[0] ?? (await context.newPage());
  }, 2 * STEP_MS);

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  });

  it('serves the Browser web app at /browser/', async () => {
    const res = await fetch(BROWSER_URL);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<title>Neo4j Browser</title>');
  });

  it(
    `connects to bolt://127.0.0.1:${BOLT_PORT} (${PASSWORD ? 'user neo4j' : 'no authentication'}) and runs a query`,
    async () => {
      try {
        await page.goto(BROWSER_URL, { waitUntil: 'domcontentloaded', timeout: STEP_MS });

        // The app either shows the connect form or (rarely, with a remembered connection) is already connected.
        const connectButton = page.getByTestId('connect');
        const connectedFrame = frameFor(page, ':server connect').getByText('Connected to Neo4j');
        await connectButton.or(connectedFrame).first().waitFor({ state: 'visible', timeout: STEP_MS });

        if (await connectButton.isVisible()) {
          await page.getByTestId('bolt-scheme-select').selectOption('bolt://');
          await page.getByTestId('boltaddress').fill(`127.0.0.1:${BOLT_PORT}`);
          if (PASSWORD) {
            await page.getByTestId('authenticationMethod').selectOption('NATIVE');
            await page.getByTestId('username').fill('neo4j');
            await page.getByTestId('password').fill(PASSWORD);
          } else {
            await page.getByTestId('authenticationMethod').selectOption('NO_AUTH');
          }
          await connectButton.click();
        }

        // Connected state: the ":server connect" frame turns into "Connected to Neo4j" ...
        await connectedFrame.waitFor({ state: 'visible', timeout: STEP_MS });
        // Its text names the server ("You are connected [as user neo4j] to bolt://127.0.0.1:PORT"); with
        // auth off it later changes to "You have a working connection and server auth is disabled".
        await frameFor(page, ':server connect')
          .filter({
            hasText: new RegExp(`to\\s*bolt://127\\.0\\.0\\.1:${BOLT_PORT}(?!\\d)|You have a working connection`),
          })
          .waitFor({ state: 'visible', timeout: STEP_MS });
        const connectFrameText = await frameFor(page, ':server connect').innerText();
        expect(connectFrameText).toContain('Connected to Neo4j');
        expect(connectFrameText).not.toMatch(/error|failed|unauthorized/i);
        // ... and the editor prompt shows the default database instead of a bare "$".
        await page
          .getByTestId('activeEditor')
          .filter({ hasText: /neo4j\s*\$/ })
          .waitFor({ state: 'visible', timeout: STEP_MS });

        // A real query through the Browser's Bolt connection.
        await page.getByTestId('activeEditor').click();
        await page.keyboard.type('RETURN 1 AS answer');
        await page.getByTestId('editor-Run').click();
        const result = frameFor(page, 'RETURN 1 AS answer').getByTestId('frame-loaded-contents');
        await result.waitFor({ state: 'visible', timeout: STEP_MS });
        const resultText = await result.innerText();
        expect(resultText).toContain('answer');
        expect(resultText).toMatch(/\b1\b/);
        // The connection frame must still say connected (no "disconnected" banner appeared meanwhile).
        expect(await page.getByTestId('disconnectedBanner').count()).toBe(0);

        await page.screenshot({ path: join(SHOTS, 'neo4j-browser-connected.png'), fullPage: true });
        rmSync(join(SHOTS, 'neo4j-browser-failure.png'), { force: true });
      } catch (err) {
        await page.screenshot({ path: join(SHOTS, 'neo4j-browser-failure.png'), fullPage: true }).catch(() => undefined);
        throw err;
      }
    },
    4 * STEP_MS,
  );
});
