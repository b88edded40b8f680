import { AnnState } from './ann-index';
import { CosineIndex } from './cosine-index';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import * as ort from 'onnxruntime-node';
import { DomainError } from '../common/errors/domain-error';
import { IdIndex, IdLookup } from '../common/id-index';
import { StringPool } from '../common/string-pool';
import { inSlices, SLICE } from '../common/slices';

/** Files a trainer run must leave in its output folder for serving (see models/README.md). */
export const REQUIRED_ARTIFACTS = [
  'scorer.onnx',
  'encoder.onnx',
  'user_embeddings.npy',
  'item_embeddings.npy',
  'users.tsv',
  'items.tsv',
  'metrics.json',
  'config.json',
];

export class ArtifactError extends DomainError {
  constructor(message: string, reason: 'BAD_ARTIFACT' | 'ARTIFACT_UNAVAILABLE' = 'BAD_ARTIFACT') {
    super('CONFLICT', reason, message);
  }
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Checks every required file exists and matches its recorded sha256. */
export async function verifyChecksums(dir: string, checksums: Record<string, string>): Promise<void> {
  for (const name of REQUIRED_ARTIFACTS) {
    const p = join(dir, name);
    if (!existsSync(p)) throw new ArtifactError(`artefact ${name} is missing in ${dir}`);
    if (!checksums[name]) throw new ArtifactError(`artefact ${name} has no recorded checksum`);
  }
  for (const [name, want] of Object.entries(checksums)) {
    const p = join(dir, name);
    if (!existsSync(p)) throw new ArtifactError(`artefact ${name} is missing in ${dir}`);
    const got = await sha256File(p);
    if (got !== want) throw new ArtifactError(`artefact ${name} fails its checksum (want ${want.slice(0, 12)}…, got ${got.slice(0, 12)}…)`);
  }
}

/** The shape and data offset of a little-endian float32 2-D .npy file (format v1/v2, C order), from its first bytes. */
function npyHeader(head: Buffer, size: number, path: string): { rows: number; cols: number; start: number } {
  if (head.length < 10 || head.readUInt32BE(0) !== 0x934e554d || head.toString('latin1', 4, 6) !== 'PY')
    throw new ArtifactError(`${path} is not a .npy file`);
  const major = head[6];
  const headerLen = major === 1 ? head.readUInt16LE(8) : head.readUInt32LE(8);
  const start = (major === 1 ? 10 : 12) + headerLen;
  if (start > head.length) throw new ArtifactError(`${path}: .npy header longer than ${head.length} bytes`);
  const header = head.toString('latin1', major === 1 ? 10 : 12, start);
  if (!/'descr':\s*'<f4'/.test(header) || /'fortran_order':\s*True/.test(header))
    throw new ArtifactError(`${path}: expected C-order little-endian float32`);
  const shape = /'shape':\s*\((\d+),\s*(\d+)\)/.exec(header);
  if (!shape) throw new ArtifactError(`${path}: expected a 2-D array`);
  const rows = Number(shape[1]);
  const cols = Number(shape[2]);
  if (size - start !== rows * cols * 4) throw new ArtifactError(`${path} is truncated`);
  return { rows, cols, start };
}

const NPY_HEAD_BYTES = 4096;

/** Reads a float32 2-D .npy file at once (tests; serving and the worker read with loadNpyFloat32). */
export function readNpyFloat32(path: string): { data: Float32Array; rows: number; cols: number } {
  const buf = readFileSync(path);
  const { rows, cols, start } = npyHeader(buf.subarray(0, NPY_HEAD_BYTES), buf.length, path);
  // Copy into an aligned buffer (the header length does not guarantee 4-byte alignment of the view).
  const data = new Float32Array(rows * cols);
  Buffer.from(data.buffer).set(buf.subarray(start));
  return { data, rows, cols };
}

/**
 * readNpyFloat32 without holding the thread: the data is read by the thread pool straight into its (aligned) array,
 * with no whole-file buffer to copy (a 1M-item model's embeddings are 270 MB).
 */
export async function loadNpyFloat32(path: string): Promise<{ data: Float32Array; rows: number; cols: number }> {
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    const head = Buffer.alloc(Math.min(NPY_HEAD_BYTES, size));
    await fh.read(head, 0, head.length, 0);
    const { rows, cols, start } = npyHeader(head, size, path);
    const data = new Float32Array(rows * cols);
    const bytes = Buffer.from(data.buffer);
    for (let at = 0; at < bytes.length;) {
      const { bytesRead } = await fh.read(bytes, at, Math.min(bytes.length - at, 64 << 20), start + at);
      if (!bytesRead) throw new ArtifactError(`${path} is truncated`);
      at += bytesRead;
    }
    return { data, rows, cols };
  } finally {
    await fh.close();
  }
}

/** Writes `data` as a float32 C-order .npy (format 1.0) of `rows` × `cols`: what readNpyFloat32 reads (tests, tools). */
export function writeNpyFloat32(path: string, data: Float32Array, rows: number, cols: number): void {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${rows}, ${cols}), }`;
  header += ' '.repeat(63 - ((10 + header.length) % 64)) + '\n';
  const head = Buffer.alloc(10);
  head.write('\x93NUMPY\x01\x00', 0, 'latin1');
  head.writeUInt16LE(header.length, 8);
  writeFileSync(path, Buffer.concat([head, Buffer.from(header, 'latin1'), Buffer.from(data.buffer, data.byteOffset, data.byteLength)]));
}

/**
 * Reads the `index\tid...` mapping files written by the trainer and the snapshot exporter: the ids in index order
 * and, with `column`, that column of every row ('' where a row has none; items.tsv's tags are column 3). The file is
 * read by the thread pool and parsed a slice of rows at a time, so a 1M-row file never holds the serving thread.
 */
export async function readIdTsv(path: string, column?: number): Promise<{ ids: string[]; column: string[] }> {
  // Fields are decoded from the bytes one by one: slices of one big string would each be a view that keeps the
  // whole file alive (63 MB of items.tsv at 1.06M items, for as long as the model is served).
  const buf = await readFile(path);
  const ids: string[] = [];
  const col: string[] = [];
  const TAB = 9;
  const NL = 10;
  let at = buf.indexOf(NL) + 1; // after the header
  if (at === 0) return { ids, column: col };
  while (at < buf.length) {
    for (let n = 0; n < SLICE && at < buf.length; n++) {
      let end = buf.indexOf(NL, at);
      if (end < 0) end = buf.length;
      if (end > at) {
        const fields: string[] = []; // the index, the id and `column` decoded; '' for the others
        for (let from = at, f = 0; from <= end; f++) {
          let to = buf.indexOf(TAB, from);
          if (to < 0 || to > end) to = end;
          fields.push(f <= 1 || f === column ? buf.toString('utf8', from, to) : '');
          from = to + 1;
        }
        if (Number(fields[0]) !== ids.length)
          throw new ArtifactError(`${path}: row ${ids.length + 2} has index ${fields[0]}, expected ${ids.length}`);
        ids.push(fields[1]);
        if (column !== undefined) col.push(fields[column] ?? '');
      }
      at = end + 1;
    }
    await nextTurn();
  }
  return { ids, column: col };
}

export interface ModelArtifacts {
  dir: string;
  dim: number;
  users: string[];
  userIndex: Map<string, number>;
  items: string[];
  /** IdIndex when loaded (a catalogue-sized Map stalls the thread as it grows; decision 0039), a Map in tests. */
  itemIndex: IdLookup;
  itemTags: string[][];
  userEmb: Float32Array;
  itemEmb: Float32Array;
  scorer: ort.InferenceSession;
  encoder: ort.InferenceSession;
  /** Directed attention a→b over FRIEND edges (SocialGCN), keyed `${a}\u0000${b}`; `kept` false = filtered out. */
  attention: Map<string, { attention: number; kept: boolean }>;
  /** Weight of friends' picks in the ranking (metrics.json `friends_blend.beta`, picked on validation by the trainer); 0 = the model alone. */
  friendsBeta: number;
  metrics: Record<string, unknown>;
  config: Record<string, unknown>;
  /** The item index serving retrieves candidates from (set by ModelStore.load; EXACT until then). */
  ann: AnnState;
  /** The cosine index similarItems retrieves neighbours from (set by ModelStore.load with `ann`; EXACT until then). */
  similar: AnnState<CosineIndex>;
}

function parseCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

export const attentionKey = (a: string, b: string): string => `${a}\u0000${b}`;

/** The inputs and outputs serving feeds and reads (OnnxScorer); the trainer's export names them (models/tastegraph_trainer/export.py). */
export const SCORER_IO = { inputs: ['user_emb'], outputs: ['scores'] } as const;
export const ENCODER_IO = { inputs: ['item_idx', 'item_w', 'item_mask', 'friend_idx', 'friend_mask'], outputs: ['user_emb'] } as const;

/**
 * One thread per session (requests run one at a time on the serving thread) and no weight prepacking: MLAS would
 * copy the scorer's whole item matrix out of its mapped weights file (`scorer.onnx.data`) at creation, on the
 * serving thread, and a one-row scoring run was slower with it, not faster (decision 0040).
 */
const SESSION_OPTIONS: ort.InferenceSession.SessionOptions = {
  executionProviders: ['cpu'],
  intraOpNumThreads: 1,
  extra: { session: { disable_prepacking: '1' } },
};

async function openSession(dir: string, name: string): Promise<ort.InferenceSession> {
  try {
    return await ort.InferenceSession.create(join(dir, name), SESSION_OPTIONS);
  } catch (err) {
    throw new ArtifactError(`ONNX model ${name} in ${dir} does not load: ${(err as Error).message}`);
  }
}

function checkNames(session: ort.InferenceSession, name: string, io: { inputs: readonly string[]; outputs: readonly string[] }): void {
  const has = (got: readonly string[], want: readonly string[]) => want.every((n) => got.includes(n));
  if (!has(session.inputNames, io.inputs) || !has(session.outputNames, io.outputs)) {
    throw new ArtifactError(
      `${name} has inputs [${session.inputNames.join(', ')}] and outputs [${session.outputNames.join(', ')}]; serving needs inputs [${io.inputs.join(', ')}] and outputs [${io.outputs.join(', ')}]`,
    );
  }
}

/** Runs one smoke inference; any error or a non-finite or wrongly shaped output is an ArtifactError naming the file. */
async function smokeRun(
  session: ort.InferenceSession,
  name: string,
  feeds: Record<string, ort.Tensor>,
  output: string,
  dims: readonly number[],
): Promise<void> {
  let out: ort.InferenceSession.ReturnType;
  try {
    out = await session.run(feeds);
  } catch (err) {
    throw new ArtifactError(`${name} smoke inference failed: ${(err as Error).message}`);
  }
  const t = out[output];
  if (!t || t.dims.length !== dims.length || t.dims.some((d, i) => d !== dims[i])) {
    throw new ArtifactError(`${name} smoke inference gave ${output} of shape [${t?.dims.join(', ') ?? ''}], expected [${dims.join(', ')}]`);
  }
  if (!(t.data as Float32Array).every(Number.isFinite)) throw new ArtifactError(`${name} smoke inference gave non-finite ${output}`);
}

async function smokeScorer(scorer: ort.InferenceSession, dir: string, dim: number, nItems: number, userVec: Float32Array): Promise<void> {
  checkNames(scorer, `scorer.onnx in ${dir}`, SCORER_IO);
  await smokeRun(scorer, `scorer.onnx in ${dir}`, { user_emb: new ort.Tensor('float32', userVec, [1, dim]) }, 'scores', [1, nItems]);
}

/** A user with one item (index 0) and one masked friend slot, as OnnxScorer.foldIn feeds it. */
async function smokeEncoder(encoder: ort.InferenceSession, dir: string, dim: number): Promise<void> {
  checkNames(encoder, `encoder.onnx in ${dir}`, ENCODER_IO);
  const one = (type: 'int64' | 'float32', v: number) =>
    type === 'int64'
      ? new ort.Tensor('int64', BigInt64Array.from([BigInt(v)]), [1, 1])
      : new ort.Tensor('float32', Float32Array.from([v]), [1, 1]);
  const feeds = {
    item_idx: one('int64', 0),
    item_w: one('float32', 1),
    item_mask: one('float32', 1),
    friend_idx: one('int64', 0),
    friend_mask: one('float32', 0),
  };
  await smokeRun(encoder, `encoder.onnx in ${dir}`, feeds, 'user_emb', [1, dim]);
}

/**
 * Loads a run's artefacts and proves they work: embeddings agree with the id maps, both ONNX
 * sessions load on the CPU provider and have the inputs and outputs serving uses, and one smoke
 * inference through each (scorer and fold-in encoder) gives finite outputs of the right shape.
 */
export async function loadArtifacts(dir: string): Promise<ModelArtifacts> {
  for (const name of REQUIRED_ARTIFACTS) if (!existsSync(join(dir, name))) throw new ArtifactError(`artefact ${name} is missing in ${dir}`);
  const users = await readIdTsv(join(dir, 'users.tsv'));
  const items = await readIdTsv(join(dir, 'items.tsv'), 3);
  const u = await loadNpyFloat32(join(dir, 'user_embeddings.npy'));
  const it = await loadNpyFloat32(join(dir, 'item_embeddings.npy'));
  if (u.rows !== users.ids.length || it.rows !== items.ids.length || u.cols !== it.cols) {
    throw new ArtifactError(
      `embedding shapes (${u.rows}×${u.cols}, ${it.rows}×${it.cols}) disagree with ${users.ids.length} users / ${items.ids.length} items`,
    );
  }
  const dim = u.cols;
  const scorer = await openSession(dir, 'scorer.onnx');
  let encoder: ort.InferenceSession | undefined;
  try {
    encoder = await openSession(dir, 'encoder.onnx');
    await smokeScorer(scorer, dir, dim, items.ids.length, u.data.slice(0, dim));
    await smokeEncoder(encoder, dir, dim);
  } catch (err) {
    await Promise.allSettled([scorer.release(), encoder?.release()]);
    throw err;
  }
  const attention = new Map<string, { attention: number; kept: boolean }>();
  const attPath = join(dir, 'attention.csv');
  if (existsSync(attPath)) {
    for (const line of readFileSync(attPath, 'utf8').split('\n').slice(1)) {
      if (!line) continue;
      const [a, b, w, k] = parseCsvLine(line);
      attention.set(attentionKey(a, b), { attention: Number(w), kept: k === '1' });
    }
  }
  const metrics = JSON.parse(readFileSync(join(dir, 'metrics.json'), 'utf8')) as Record<string, unknown>;
  const beta = (metrics.friends_blend as { beta?: unknown } | undefined)?.beta;
  if (beta !== undefined && !(typeof beta === 'number' && Number.isFinite(beta) && beta >= 0)) {
    throw new ArtifactError(`metrics.json in ${dir}: friends_blend.beta must be a number >= 0, got ${JSON.stringify(beta)}`);
  }
  const userIndex = new Map<string, number>();
  await inSlices(users.ids.length, (from, to) => {
    for (let i = from; i < to; i++) userIndex.set(users.ids[i], i);
  });
  const itemTags: string[][] = [];
  const tagPool = new StringPool();
  await inSlices(items.column.length, (from, to) => {
    for (let i = from; i < to; i++) itemTags.push(tagPool.list(items.column[i] ? items.column[i].split('|') : []));
  });
  return {
    dir,
    dim,
    users: users.ids,
    userIndex,
    items: items.ids,
    itemIndex: await IdIndex.of(items.ids),
    itemTags,
    userEmb: u.data,
    itemEmb: it.data,
    scorer,
    encoder,
    attention,
    friendsBeta: typeof beta === 'number' ? beta : 0,
    metrics,
    config: JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Record<string, unknown>,
    ann: { status: 'EXACT', reason: 'no index built' },
    similar: { status: 'EXACT', reason: 'no index built' },
  };
}

export async function releaseArtifacts(a: ModelArtifacts): Promise<void> {
  if (a.similar?.status === 'BUILDING') a.similar.abort.abort(); // a background index build for a model no longer held
  await Promise.allSettled([a.scorer.release(), a.encoder.release()]);
}
