/**
 * A model's two item indexes, held by its ModelArtifacts, so versioned, swapped and released with it:
 * `ann` (dot product, recommendations' candidates), built when the version loads, before it can serve;
 * `similar` (cosine, similarItems' neighbours), started when it loads and built in the background
 * (BUILDING on /health/ready; similarItems compares every item until it is READY): it costs ~2× the
 * other's build (docs/decisions/0035-similar-items-ann.md). Each is EXACT below ANN_MIN_ITEMS; a build
 * that fails leaves that one FAILED (exact, reported on /health/ready) and the other as built.
 */
import { annState } from './ann-index';
import { ModelArtifacts } from './artifacts';
import { buildCosineIndex } from './cosine-index';
import { BuiltIndex } from './hnsw-graph';

export interface IndexLogger {
  log(message: string): void;
  error(message: string): void;
}

/**
 * Builds `model.ann`, then starts `model.similar`; resolves once `ann` is built, with the background
 * build's promise (it never rejects; releaseArtifacts aborts it).
 */
export async function buildItemIndexes(
  model: ModelArtifacts,
  minItems: number,
  versionId: string,
  logger: IndexLogger,
): Promise<{ similar: Promise<void> }> {
  model.ann = await annState(model.itemEmb, model.dim, minItems);
  report(model.ann, `model ${versionId}: ANN index`, 'serving scores every item', logger);
  if (model.itemEmb.length / model.dim < minItems) {
    model.similar = await annState(model.itemEmb, model.dim, minItems, buildCosineIndex);
    return { similar: Promise.resolve() };
  }
  const abort = new AbortController();
  model.similar = { status: 'BUILDING', abort };
  const similar = annState(model.itemEmb, model.dim, minItems, (e, d) => buildCosineIndex(e, d, { signal: abort.signal })).then((s) => {
    if (abort.signal.aborted) return; // released meanwhile: nobody serves it
    model.similar = s;
    report(s, `model ${versionId}: similar-items index`, 'similarItems compares every item', logger);
  });
  return { similar };
}

function report(state: ModelArtifacts['ann'] | ModelArtifacts['similar'], what: string, fallback: string, logger: IndexLogger): void {
  if (state.status === 'READY') {
    const { buildMs, size, bytes }: BuiltIndex = state.index;
    logger.log(`${what} over ${size} items built in ${buildMs} ms (~${Math.round(bytes / 2 ** 20)} MiB)`);
  } else if (state.status === 'FAILED') {
    logger.error(`${what} not built, ${fallback}: ${state.error}`);
  }
}
