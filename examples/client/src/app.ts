/**
 * The example app: a small shop front that records what a visitor does and shows what to try next,
 * with the reasons, through the generated, typed client (no hand-written types).
 *
 *   npm run build && node dist/examples/client/src/app.js [--api http://localhost:3000] [--user shop:u1]
 */
import { parseArgs } from 'node:util';
import { tasteGraphClient } from './client';
import type { RecommendQuery } from './gql/graphql';
import { Recommend, RecordEvents, UpsertCatalogue } from './operations';

export interface ExampleOptions {
  api: string;
  userId: string;
  /** headers for a keyed or admin deployment (x-api-key) */
  headers?: Record<string, string>;
  log?: (line: string) => void;
}

export type Shown = RecommendQuery['recommendations']['edges'][number]['node'];

/** Creates a small catalogue, records the visitor's events (retry-safe: each has an eventId), and prints their recommendations with explanations. */
export async function runExample(o: ExampleOptions): Promise<{ recorded: number; shown: Shown[] }> {
  const request = tasteGraphClient(`${o.api.replace(/\/$/, '')}/graphql`, o.headers);
  const log = o.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const ns = o.userId.includes(':') ? o.userId.slice(0, o.userId.indexOf(':') + 1) : '';
  const friend = `${ns}friend-of-${o.userId.slice(ns.length)}`;
  const items = [
    { id: `${ns}kind-of-blue`, title: 'Kind of Blue', tags: ['jazz'] },
    { id: `${ns}a-love-supreme`, title: 'A Love Supreme', tags: ['jazz'] },
    { id: `${ns}ok-computer`, title: 'OK Computer', tags: ['rock'] },
    { id: `${ns}blue-train`, title: 'Blue Train', tags: ['jazz'] },
  ];
  await request(UpsertCatalogue, {
    users: [
      { id: o.userId, name: 'Visitor' },
      { id: friend, name: 'A friend' },
    ],
    items,
  });
  const recorded = await request(RecordEvents, {
    events: [
      { eventId: `${o.userId}-1`, userId: o.userId, itemId: items[0].id, type: 'PLAY' },
      { eventId: `${o.userId}-2`, userId: o.userId, itemId: items[0].id, type: 'LIKE' },
      { eventId: `${friend}-1`, userId: friend, itemId: items[1].id, type: 'LIKE' },
      { eventId: `${friend}-2`, userId: friend, itemId: items[3].id, type: 'PLAY' },
    ],
  });
  log(`recorded ${recorded.recordInteractions.events} event(s) (${recorded.recordInteractions.duplicates} already recorded)`);
  const page = await request(Recommend, { userId: o.userId, first: 5 });
  const recs = page.recommendations;
  log(`recommendations for ${o.userId} (${recs.path}${recs.modelKind ? `, ${recs.modelKind}` : ''}):`);
  for (const { node } of recs.edges) {
    log(`  ${node.rank}. ${node.item.title ?? node.item.id} [${node.item.tags.join(', ')}]${node.isNew ? ' (new)' : ''}`);
    if (node.explanation) log(`     ${node.explanation.sentence}`);
  }
  return { recorded: recorded.recordInteractions.events, shown: recs.edges.map((e) => e.node) };
}

if (require.main === module) {
  const { values } = parseArgs({ options: { api: { type: 'string' }, user: { type: 'string' }, 'api-key': { type: 'string' } } });
  runExample({
    api: values.api ?? 'http://localhost:3000',
    userId: values.user ?? 'shop:visitor-1',
    headers: values['api-key'] ? { 'x-api-key': values['api-key'] } : {},
  }).catch((err: Error) => {
    process.stderr.write(`${err.message}\n`);
    process.exitCode = 1;
  });
}
