import { runExample } from '../examples/client/src/app';
import { startApp, TestApp, testPrefix } from './support/app';
import { cleanup, testDriver } from './support/graph';
import { Driver } from 'neo4j-driver';

/** The example app (examples/client) against the real API: it records events and shows explained recommendations through the generated client. */
describe('example client app', () => {
  let t: TestApp;
  let driver: Driver;
  const p = testPrefix('example');

  beforeAll(async () => {
    // Serving scoped to this file's ids, as a deployment serves one dataset (TRAINING_ID_PREFIX).
    t = await startApp({ TRAINING_ID_PREFIX: p });
    driver = testDriver();
  });
  afterAll(async () => {
    await cleanup(driver, p);
    await driver.close();
    await t.close();
  });

  it('records the visitor’s events and prints recommendations with their explanations', async () => {
    const lines: string[] = [];
    const userId = `${p}shop:visitor`; // the app namespaces its catalogue like the user: `${p}shop:`
    const first = await runExample({ api: t.url, userId, log: (l) => lines.push(l) });
    expect(first.recorded).toBe(4);
    expect(lines[0]).toBe('recorded 4 event(s) (0 already recorded)');
    // The serving catalogue re-reads new items every 10 s; then a second run is a retry (every eventId was
    // recorded before, nothing counts twice) and shows them.
    await new Promise((r) => setTimeout(r, 10_500));
    lines.length = 0;
    const { recorded, shown } = await runExample({ api: t.url, userId, log: (l) => lines.push(l) });
    expect(recorded).toBe(0);
    // Without a model: popularity, never the item the visitor already played; the friend's items are there.
    const ids = shown.map((s) => s.item.id);
    expect(ids).not.toContain(`${p}shop:kind-of-blue`);
    expect(ids).toEqual(expect.arrayContaining([`${p}shop:a-love-supreme`, `${p}shop:blue-train`]));
    for (const s of shown) {
      expect(s.id).not.toBe(s.item.id); // the result's own id
      expect(s.explanation?.sentence).toEqual(expect.any(String));
    }
    expect(lines.join('\n')).toContain('A Love Supreme');
  }, 60_000);
});
