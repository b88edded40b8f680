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
    const userId = `${p}visitor`;
    const { recorded, shown } = await runExample({ api: t.url, userId, log: (l) => lines.push(l) });
    expect(recorded).toBe(4);
    // Without a model: popularity, never the item the visitor already played; the friend's items are there.
    expect(shown.map((s) => s.item.id)).not.toContain(`${p}kind-of-blue`);
    expect(shown.map((s) => s.item.id)).toEqual(expect.arrayContaining([`${p}a-love-supreme`, `${p}blue-train`]));
    for (const s of shown) {
      expect(s.id).not.toBe(s.item.id); // the result's own id
      expect(s.explanation?.sentence).toEqual(expect.any(String));
    }
    expect(lines[0]).toBe('recorded 4 event(s) (0 already recorded)');
    expect(lines.join('\n')).toContain('A Love Supreme');
    // A second run is a retry: every eventId was recorded before, nothing counts twice.
    const again = await runExample({ api: t.url, userId, log: () => undefined });
    expect(again.recorded).toBe(0);
  });
});
