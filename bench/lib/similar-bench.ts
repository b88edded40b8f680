/**
 * similarItems exact against its cosine index (bench/ann.ts): the serving code itself
 * (similarSlots: every item compared; nearestItems: the index, widened as serving does), over a model
 * and view built from the bench's item vectors (no new items, nothing hidden, hydration answered at
 * once: the Neo4j round trip both paths share is not measured). Queries: `nq` items spread evenly.
 */
import { AnnState } from '../../src/model-registry/ann-index';
import { ModelArtifacts } from '../../src/model-registry/artifacts';
import { buildCosineIndex, CosineIndex } from '../../src/model-registry/cosine-index';
import { ModelView } from '../../src/recommendations/catalogue-build';
import { HydratedItem } from '../../src/recommendations/recommendations.repository';
import { nearestItems, SIMILAR_BASE_K } from '../../src/recommendations/pipeline/similar-ann';
import { HYDRATE_MARGIN, similarSlots } from '../../src/recommendations/pipeline/similar-items';
import { rowNorms } from '../../src/recommendations/scoring';
import { Embeddings } from './ann-engines';
import { percentile } from './report';

const ms = (v: number[], p: number) => +percentile(v, p).toFixed(3);

export async function measureSimilar(e: Embeddings, nq: number, first = 20) {
  const ids = Array.from({ length: e.n }, (_, i) => `i${i}`);
  const index = new Map(ids.map((id, i) => [id, i]));
  global.gc?.();
  const rss0 = process.memoryUsage().rss;
  const cosine = await buildCosineIndex(e.items, e.dim);
  global.gc?.();
  const rssMiB = (process.memoryUsage().rss - rss0) / 2 ** 20;
  const similar: AnnState<CosineIndex> = { status: 'READY', index: cosine, builtBy: 'API' };
  const model = { dim: e.dim, items: ids, itemIndex: index, itemEmb: e.items, similar } as unknown as ModelArtifacts;
  const view = {
    itemNorms: rowNorms(e.items, e.dim),
    slots: { ids, index, hidden: new Uint8Array(e.n), isNew: new Uint8Array(e.n), newVectors: [] },
  } as unknown as ModelView;
  const hydrate = (asked: string[]) =>
    Promise.resolve(new Map<string, HydratedItem>(asked.map((id) => [id, { id, title: null, tags: [], hidden: false }])));
  const exactLat: number[] = [];
  const annLat: number[] = [];
  let hits = 0;
  let widened = 0;
  let exactFallback = 0;
  const want = first + 1; // serving asks one past the page
  for (let q = 0; q < nq; q++) {
    const id = ids[Math.floor((q * e.n) / nq)];
    let t = performance.now();
    const exact = similarSlots(model, view, id, want)!.ranked.slice(0, first);
    exactLat.push(performance.now() - t);
    t = performance.now();
    const got = await nearestItems(model, view, id, want, hydrate);
    annLat.push(performance.now() - t);
    if (got.via === 'exact') exactFallback++;
    else if (got.k > Math.max(SIMILAR_BASE_K, want + HYDRATE_MARGIN + 1)) widened++;
    const top = new Set(exact.map((s) => ids[s]));
    hits += got.items.slice(0, first).filter((x) => top.has(x.id)).length;
  }
  return {
    items: e.n,
    buildS: +(cosine.buildMs / 1000).toFixed(2),
    rssMiB: +rssMiB.toFixed(1),
    estimatedMiB: +(cosine.bytes / 2 ** 20).toFixed(1),
    exactP50Ms: ms(exactLat, 50),
    exactP99Ms: ms(exactLat, 99),
    annP50Ms: ms(annLat, 50),
    annP99Ms: ms(annLat, 99),
    recall20: +(hits / (first * nq)).toFixed(4),
    widened,
    exactFallback,
  };
}
