/**
 * A model's item indexes as files beside its artefacts: built once by the worker after training
 * (training.processor.ts, stage INDEX), checksummed and registered with the other artefacts, fetched
 * by each replica through its artefact cache and loaded in seconds, where each replica would otherwise
 * build its own at load (minutes at 10⁶ items: docs/scale.md; docs/decisions/0037-index-built-by-the-worker.md).
 *
 * `item-indexes.json` names the files: the recommendation index's norm-range graphs (`ann-<k>.usearch`,
 * keys = model item indices) with each range's largest norm and the items' moments, and the
 * similar-items graph (`similar.usearch`). Either may be missing (see MAX_INDEX_FILE_BYTES): that one
 * is built at load as before.
 */
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { MetricKind } from 'usearch';
import { AnnIndex, annIndexOf, buildAnnIndex } from './ann-index';
import { loadNpyFloat32 } from './artifacts';
import { buildCosineIndex, COSINE_CONNECTIVITY, CosineIndex, cosineIndexOf } from './cosine-index';
import { loadGraph } from './hnsw-graph';

export const INDEX_MANIFEST = 'item-indexes.json';
const FORMAT = 1;
/**
 * The largest index file shipped with the artefacts (the similar-items graph at 1.76M items and d = 64 is
 * 894 MiB; the registry stores files in pieces, decision 0038, so this bounds what a version carries, not
 * what a value can hold). A larger graph is left out and built by each replica at load, as for a model
 * without index files.
 */
export const MAX_INDEX_FILE_BYTES = 900 * 2 ** 20;

export interface Manifest {
  format: number;
  engine: 'usearch';
  items: number;
  dim: number;
  ann: { buildMs: number; colSum: number[]; gram: number[]; graphs: Array<{ file: string; maxNorm: number; size: number }> } | null;
  similar: { buildMs: number; file: string; size: number } | null;
}

export interface WrittenIndexes {
  /** the files written into the folder (the manifest first); none below `minItems` */
  files: string[];
  items: number;
  annBuildMs: number | null;
  similarBuildMs: number | null;
  /** graphs over the size limit, left to the replicas */
  leftOut: string[];
}

/**
 * Builds both indexes over the run folder's `item_embeddings.npy` and saves them beside it, unless the
 * model has fewer than `minItems` items (ANN_MIN_ITEMS: serving is exact then). Every core inserts by
 * default (the trainer has finished; hnsw-graph.ts seeds each graph with one thread).
 */
export async function writeItemIndexes(
  dir: string,
  minItems: number,
  { threads = availableParallelism(), maxFileBytes = MAX_INDEX_FILE_BYTES }: { threads?: number; maxFileBytes?: number } = {},
): Promise<WrittenIndexes> {
  const { data: emb, rows: n, cols: dim } = await loadNpyFloat32(join(dir, 'item_embeddings.npy'));
  const none: WrittenIndexes = { files: [], items: n, annBuildMs: null, similarBuildMs: null, leftOut: [] };
  if (n < minItems) return none;
  const leftOut: string[] = [];
  /** Saves each graph; all or none (one over `maxFileBytes`: none, listed in leftOut). */
  const save = (parts: Array<{ graph: { save(path: string): void }; file: string }>): boolean => {
    for (const { graph, file } of parts) graph.save(join(dir, file));
    const big = parts.filter(({ file }) => statSync(join(dir, file)).size > maxFileBytes).map((p) => p.file);
    if (!big.length) return true;
    for (const { file } of parts) rmSync(join(dir, file));
    leftOut.push(...big);
    return false;
  };
  const ann = await buildAnnIndex(emb, dim, undefined, threads);
  const graphs = ann.graphs.map((g, k) => ({ file: `ann-${k}.usearch`, maxNorm: g.maxNorm, size: g.index.size() }));
  const annSaved = save(ann.graphs.map((g, k) => ({ graph: g.index, file: graphs[k].file })));
  const similar = await buildCosineIndex(emb, dim, { threads });
  const similarSaved = save([{ graph: similar.graph, file: 'similar.usearch' }]);
  const manifest: Manifest = {
    format: FORMAT,
    engine: 'usearch',
    items: n,
    dim,
    ann: annSaved ? { buildMs: ann.buildMs, colSum: [...ann.colSum], gram: [...ann.gram], graphs } : null,
    similar: similarSaved ? { buildMs: similar.buildMs, file: 'similar.usearch', size: n } : null,
  };
  writeFileSync(join(dir, INDEX_MANIFEST), JSON.stringify(manifest));
  return {
    files: [INDEX_MANIFEST, ...(annSaved ? graphs.map((g) => g.file) : []), ...(similarSaved ? ['similar.usearch'] : [])],
    items: n,
    annBuildMs: ann.buildMs,
    similarBuildMs: similar.buildMs,
    leftOut,
  };
}

export interface LoadedIndexes {
  ann: AnnIndex | null;
  similar: CosineIndex | null;
  loadMs: number;
}

const yieldToLoop = () => new Promise<void>((r) => setImmediate(r));

/** The manifest of the indexes saved in `dir`, or null when there is none. */
export function readManifest(dir: string): Manifest | null {
  const path = join(dir, INDEX_MANIFEST);
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Manifest) : null;
}

/**
 * The indexes saved in `dir` for these item embeddings (n × dim), or null when the folder has no
 * manifest (a model registered before the worker built indexes, or below its ANN_MIN_ITEMS). A
 * manifest that disagrees with the embeddings, or a graph that does not load, throws: the caller
 * builds the indexes itself. One graph is read per turn of the event loop.
 */
export async function readItemIndexes(dir: string, emb: Float32Array, dim: number): Promise<LoadedIndexes | null> {
  const t0 = performance.now();
  const m = readManifest(dir);
  if (!m) return null;
  const n = emb.length / dim;
  if (m.format !== FORMAT || m.engine !== 'usearch')
    throw new Error(`${INDEX_MANIFEST} is format ${m.format} of ${m.engine}, this API reads ${FORMAT} of usearch`);
  if (m.items !== n || m.dim !== dim) throw new Error(`${INDEX_MANIFEST} is for ${m.items} × ${m.dim} items, the model has ${n} × ${dim}`);
  const file = (name: string) => {
    if (!/^[A-Za-z0-9_.-]{1,128}$/.test(name)) throw new Error(`${INDEX_MANIFEST} names ${JSON.stringify(name)}, not a plain file name`);
    return join(dir, name);
  };
  let ann: AnnIndex | null = null;
  if (m.ann) {
    if (m.ann.graphs.reduce((s, g) => s + g.size, 0) !== n)
      throw new Error(`${INDEX_MANIFEST}: the norm ranges do not hold the model's ${n} items`);
    const graphs = [];
    for (const g of m.ann.graphs) {
      graphs.push({ maxNorm: g.maxNorm, index: loadGraph(file(g.file), dim + 1, MetricKind.L2sq, g.size) });
      await yieldToLoop();
    }
    ann = annIndexOf(emb, dim, graphs, { colSum: Float64Array.from(m.ann.colSum), gram: Float64Array.from(m.ann.gram) }, m.ann.buildMs);
  }
  const similar = m.similar
    ? cosineIndexOf(loadGraph(file(m.similar.file), dim, MetricKind.IP, n, COSINE_CONNECTIVITY), dim, m.similar.buildMs)
    : null;
  return { ann, similar, loadMs: Math.round(performance.now() - t0) };
}
