/**
 * The web explorer at /explore in headless Chromium (Debian's /usr/bin/chromium via playwright-core), every
 * request off loopback blocked, against the real app, worker and trainer: sign-in with the admin token, a
 * real SocialGCN run followed live over the trainingProgress subscription, the model versions with their
 * curves, promote and rollback buttons (the FRIEND attention follows), a user page (friends by attention,
 * explained recommendations, the answer after a LIKE), an item page. Prints the first paint and the user
 * page's load time. Screenshots: var/screenshots/explorer-*.png (explorer-last.png: the page as the last test left it).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Driver } from 'neo4j-driver';
import { BrowserContext, chromium, Page } from 'playwright-core';
import { ModelRegistryService } from '../../src/model-registry/model-registry.service';
import { startApp, TestApp, testPrefix } from '../support/app';
import { cleanup, testDriver } from '../support/graph';
import { hasLastfm, loadLastfmSubset } from '../support/lastfm-subset';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const SHOTS = resolve(__dirname, '../../var/screenshots');
const ROOT = resolve(__dirname, '../..');
const ADMIN = 'test-admin-token-explorer';
const auth = { authorization: `Bearer ${ADMIN}` };
/**
 * The page's globals as far as the callbacks run in the page (page.evaluate, waitForFunction) use them: this
 * program is typed without the DOM lib, and a `/// <reference lib="dom" />` would add it to every file.
 */
type PageGlobals = {
  document: {
    querySelector(selector: string): { getAttribute(name: string): string | null } | null;
    querySelectorAll(selector: string): Iterable<{ textContent: string | null }>;
  };
  sessionStorage: { getItem(key: string): string | null };
};
const RUN = { epochs: 15, evalEvery: 3, patience: 5, maxMinutes: 2, batchSize: 1024, dim: 16, refitEpochs: 0, attentionTopk: 2 };

(hasLastfm() ? describe : describe.skip)('web explorer at /explore (headless Chromium, offline, real training run)', () => {
  let t: TestApp;
  let driver: Driver;
  let context: BrowserContext | undefined;
  let page: Page;
  let userDataDir = '';
  const offsite: string[] = [];
  const p = testPrefix('explorer');
  let versionId = '';

  /** The links of a list, and that each goes to an item of this test (the item's id, not a result id). */
  const itemLinks = async (selector: string) => {
    const hrefs = await Promise.all((await page.locator(selector).all()).map((a) => a.getAttribute('href')));
    expect(hrefs.length).toBeGreaterThan(0);
    for (const h of hrefs) expect(h).toMatch(new RegExp(`^#/items/${encodeURIComponent(p)}`));
    return hrefs;
  };
  const shot = (name: string) => page.screenshot({ path: join(SHOTS, `explorer-${name}.png`) });
  const attentionVersions = async () =>
    (
      await driver.executeQuery(
        'MATCH (a:User)-[f:FRIEND]->() WHERE a.id STARTS WITH $p RETURN collect(DISTINCT f.attentionVersion) AS v',
        { p },
      )
    ).records[0].get('v') as string[];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: run scripts/setup-system.sh or set CHROMIUM_PATH`);
    mkdirSync(SHOTS, { recursive: true });
    // the bundle under test is the current source's (the API lists dist/explorer at start-up)
    execFileSync('npx', ['vite', 'build', '--config', 'explorer/vite.config.mts'], { cwd: ROOT, stdio: 'pipe' });
    driver = testDriver();
    await loadLastfmSubset(driver, p, 120);
    t = await startApp({ TRAINER_WORKER: 'true', ADMIN_TOKEN: ADMIN, TRAINING_PROMOTE_MIN_RATIO: '0.0001' });
    userDataDir = mkdtempSync(join(tmpdir(), 'tastegraph-explorer-'));
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
    page = context.pages()[0] ?? (await context.newPage());
  }, 180_000);

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
    await t?.close();
    await cleanup(driver, p);
    await driver.close();
  });

  // the last state of every test, failed or not (a failure's page is the one to look at)
  afterEach(() => page?.screenshot({ path: join(SHOTS, 'explorer-last.png') }).catch(() => undefined));

  it('serves a page without data: the sign-in form first, a wrong token back to it', async () => {
    const html = await fetch(`${t.url}/explore`);
    expect(html.status).toBe(200);
    expect(html.headers.get('content-security-policy')).toContain("default-src 'self'");
    const body = await html.text();
    expect(body).toContain('/explore/assets/');
    expect(body).not.toContain(p); // no user, item or model in the page
    expect((await fetch(`${t.url}/explore/assets/nope.js`)).status).toBe(404);
    expect((await fetch(`${t.url}/explore/assets/..%2Findex.html`)).status).toBe(404);

    await page.goto(`${t.url}/explore`, { waitUntil: 'load' });
    await page.getByTestId('signin').waitFor({ state: 'visible' });
    // the paint entry is queued after the frame is shown: wait for it (a read right after the form showed was once null)
    await page.waitForFunction(() => performance.getEntriesByName('first-contentful-paint').length > 0, undefined, { timeout: 10_000 });
    const fcp = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null);
    expect(fcp).not.toBeNull();
    process.stdout.write(`explorer first contentful paint: ${Math.round(fcp!)} ms\n`);
    await page.getByLabel('admin token').fill('not-the-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('signin-error').filter({ hasText: 'not valid' }).waitFor({ state: 'visible' }); // ADMIN_TOKEN_INVALID
    expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).sessionStorage.getItem('tastegraph.adminToken'))).toBeNull();
  });

  it('follows a real SocialGCN run live (subscription), then shows its log tail and outcome', async () => {
    await page.getByLabel('admin token').fill(ADMIN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByTestId('models-page').waitFor({ state: 'visible' });
    const started = await t.gql(
      `mutation($p: TrainingParamsInput) { startRetraining(model: SOCIALGCN, params: $p) { id } }`,
      { p: { ...RUN, idPrefix: p } },
      auth,
    );
    expect(started.errors).toBeUndefined();
    const runId = started.data!.startRetraining.id as string;
    await page.goto(`${t.url}/explore#/runs/${encodeURIComponent(runId)}`);
    const chart = page.getByTestId('live-loss-chart');
    // epochs arrive while the run is RUNNING: the live chart grows before the run ends
    await page.locator('[data-testid=run-page][data-status=RUNNING]').waitFor({ state: 'attached', timeout: 120_000 });
    await page.waitForFunction(
      () =>
        Number(
          (globalThis as unknown as PageGlobals).document.querySelector('[data-testid=live-loss-chart]')?.getAttribute('data-points'),
        ) >= 3,
      null,
      {
        timeout: 120_000,
      },
    );
    expect(await page.getByTestId('run-status').innerText()).toBe('RUNNING');
    await shot('run');
    await page.locator('[data-testid=run-page][data-status=SUCCEEDED]').waitFor({ state: 'attached', timeout: 180_000 });
    expect(Number(await chart.getAttribute('data-points'))).toBeGreaterThanOrEqual(3);
    await page.getByTestId('log-tail').filter({ hasText: 'registered' }).waitFor({ state: 'visible' });
    const run = await t.gql(`query($id: ID!) { trainingRun(id: $id) { modelVersionId promoted } }`, { id: runId }, auth);
    expect(run.data!.trainingRun.promoted).toBe(true);
    versionId = run.data!.trainingRun.modelVersionId;
  }, 360_000);

  it('shows model versions side by side with their curves; promote and rollback move serving and the FRIEND attention', async () => {
    // a second version (the same artefacts, registered again) to promote and roll back from
    const registry = t.app.get(ModelRegistryService);
    const source = (await registry.list(100)).find((v) => v.id === versionId)!;
    const copy = await registry.register({
      kind: 'SOCIALGCN',
      artifactDir: source.artifactDir,
      runId: null,
      snapshotStats: null,
      hyperparameters: null,
      checksums: source.checksums,
    });
    await page.goto(`${t.url}/explore#/models`);
    await page.getByTestId('metrics-table').waitFor({ state: 'visible' });
    await page.waitForFunction(
      () =>
        Number((globalThis as unknown as PageGlobals).document.querySelector('[data-testid=loss-chart]')?.getAttribute('data-points')) > 0,
    );
    expect(Number(await page.getByTestId('recall-chart').getAttribute('data-points'))).toBeGreaterThan(0);
    // the typed metrics (validation and test lists by name) and the rest from `all` (best_epoch)
    const table = await page.getByTestId('metrics-table').innerText();
    expect(table).toMatch(/validation\.recall@20\s+0\.\d{4}/);
    expect(table).toMatch(/test\.ndcg@20\s+0\.\d{4}/);
    expect(table).toMatch(/best_epoch\s+\d+/);
    await shot('models');

    await page.getByTestId(`promote-${copy.id}`).click();
    await page.getByTestId('action-message').filter({ hasText: 'done' }).waitFor();
    expect((await t.gql(`{ activeModel { id } }`)).data!.activeModel.id).toBe(copy.id);
    expect(await attentionVersions()).toEqual([copy.id]);
    await page.getByTestId('rollback').click();
    await page.getByTestId('action-message').filter({ hasText: 'rollback: done' }).waitFor();
    expect((await t.gql(`{ activeModel { id } }`)).data!.activeModel.id).toBe(versionId);
    expect(await attentionVersions()).toEqual([versionId]);
  });

  it('a user page: items, friends by attention (kept and filtered edges), explained recommendations, and the answer after a LIKE', async () => {
    // a user whose friendships the attention filter both kept and dropped
    const { records } = await driver.executeQuery(
      `MATCH (u:User)-[r:FRIEND]-(:User) WHERE u.id STARTS WITH $p
       WITH u, collect(CASE WHEN startNode(r) = u THEN r.attentionKeptOut ELSE r.attentionKeptIn END) AS kept
       WHERE true IN kept AND false IN kept AND size(kept) <= 12
       RETURN u.id AS id ORDER BY size(kept) DESC, id LIMIT 1`,
      { p },
    );
    expect(records).toHaveLength(1);
    const user = records[0].get('id') as string;
    // a fresh navigation: the user page's load time counts the bundle and the three queries
    await page.goto('about:blank');
    await page.goto(`${t.url}/explore#/users/${encodeURIComponent(user)}`, { waitUntil: 'load' });
    await page.locator('[data-testid=user-page][data-state=ready]').waitFor();
    const timing = await page.evaluate(() => {
      const m = performance.getEntriesByName('explorer:user-page')[0];
      return {
        fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null,
        ready: m ? m.startTime + m.duration : null,
      };
    });
    expect(timing.ready).not.toBeNull();
    process.stdout.write(
      `explorer user page: first contentful paint ${Math.round(timing.fcp!)} ms, ready (all three answers rendered) ${Math.round(timing.ready!)} ms after navigation\n`,
    );

    const edges = page.getByTestId('friend-edge');
    const n = await edges.count();
    expect(n).toBeGreaterThan(1);
    expect(await page.locator('[data-testid=friend-edge][data-kept=true]').count()).toBeGreaterThan(0);
    expect(await page.locator('[data-testid=friend-edge][data-kept=false]').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('user-items').locator('li').count()).toBeGreaterThan(0);
    const recs = page.getByTestId('recommendation');
    expect(await recs.count()).toBe(10);
    await itemLinks('[data-testid=recommendation] > a');
    await shot('user');

    const liked = await page.getByTestId('record-like').first().innerText();
    const title = liked.replace(/^LIKE /, '');
    await page.getByTestId('record-like').first().click();
    await page.getByTestId('after-interaction').waitFor({ state: 'visible' });
    await page.waitForFunction(
      (t) =>
        ![...(globalThis as unknown as PageGlobals).document.querySelectorAll('[data-testid=recommendation] a')].some(
          (a) => a.textContent === t,
        ),
      title,
    );
    expect(await recs.count()).toBe(10);
    expect(await page.locator('[data-testid=recommendation] .change.new').count()).toBeGreaterThan(0); // something entered the top 10
    await page.getByTestId('user-items').filter({ hasText: title }).waitFor(); // and the item is now one of theirs
  });

  it('an item page: similar items (embeddings) beside related items (walks)', async () => {
    await page.getByTestId('user-items').locator('a').first().click();
    await page.locator('[data-testid=item-page][data-state=ready]').waitFor();
    expect(await page.getByTestId('similar-items').locator('li').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('related-items').locator('li').count()).toBeGreaterThan(0);
    await itemLinks('[data-testid=similar-items] a');
    await itemLinks('[data-testid=related-items] a');
    await shot('item');
    expect(offsite).toEqual([]); // nothing was fetched from outside
  });
});
