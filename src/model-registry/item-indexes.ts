/**
 * A model's two item indexes, held by its ModelArtifacts, so versioned, swapped and released with it.
 * The worker builds both after training and ships them with the artefacts (index-files.ts); a replica
 * loads them before the version can serve. Without those files (an older version, a file over the size
 * limit, one that does not load) the replica builds them itself:
 * `ann` (dot product, recommendations' candidates) when the version loads, before it can serve;
 * `similar` (cosine, similarItems' neighbours) started when it loads and built in the background
 * (BUILDING on /health/ready; similarItems compares every item until it is READY): it costs ~2× the
 * other's build (docs/decisions/0035-similar-items-ann.md). Each is EXACT below ANN_MIN_ITEMS; a build
 * that fails leaves that one FAILED (exact, reported on /health/ready) and the other as built.
 */
import { annState } from './ann-index';
import { ModelArtifacts } from './artifacts';
import { buildCosineIndex } from './cosine-index';
import { readItemIndexes } from './index-files';
import { BuiltIndex } from './hnsw-graph';

export interface IndexLogger {
  log(message: string): void;
  error(message: string): void;
}

/**
 * Sets `model.ann` and `model.similar`: from the worker's files when the model has them (index-files.ts;
 * a manifest that does not load is logged and the indexes are built here), else builds `ann`, then starts
 * `similar`; resolves once `ann` is ready, with the background build's promise (it never rejects;
 * releaseArtifacts aborts it).
 */
export async function buildItemIndexes(
  model: ModelArtifacts,
  minItems: number,
  versionId: string,
  logger: IndexLogger,
): Promise<{ similar: Promise<void> }> {
  if (model.itemEmb.length / model.dim < minItems) {
    model.ann = await annState(model.itemEmb, model.dim, minItems);
    model.similar = await annState(model.itemEmb, model.dim, minItems, buildCosineIndex);
    return { similar: Promise.resolve() };
  }
  const saved = await readItemIndexes(model.dir, model.itemEmb, model.dim).catch((err: Error) => {
    logger.error(`model ${versionId}: its index files do not load, building the indexes here: ${err.message}`);
    return null;
  });
  if (saved?.ann) model.ann = { status: 'READY', index: saved.ann, builtBy: 'WORKER', loadMs: saved.loadMs };
  else model.ann = await annState(model.itemEmb, model.dim, minItems);
  report(model.ann, `model ${versionId}: ANN index`, 'serving scores every item', logger);
  if (saved?.similar) {
    model.similar = { status: 'READY', index: saved.similar, builtBy: 'WORKER', loadMs: saved.loadMs };
    report(model.similar, `model ${versionId}: similar-items index`, '', logger);
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
    const how = state.builtBy === 'WORKER' ? `loaded from the worker's files in ${state.loadMs} ms` : `built in ${buildMs} ms`;
    logger.log(`${what} over ${size} items ${how} (~${Math.round(bytes / 2 ** 20)} MiB)`);
  } else if (state.status === 'FAILED') {
    logger.error(`${what} not built, ${fallback}: ${state.error}`);
  }
}
