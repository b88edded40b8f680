import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ArtifactError, REQUIRED_ARTIFACTS, sha256File, verifyChecksums } from './artifacts';
import type { ModelVersionEntity } from './model-version.entity';

/** Where the artefact bytes live for every host (the registry database: ModelRegistryRepository). */
export interface ArtifactBytesSource {
  /** hands the file's bytes to `onPiece` in order; false when the registry does not hold it */
  readArtifact(versionId: string, name: string, onPiece: (bytes: Buffer) => Promise<void>): Promise<boolean>;
}

export interface ResolvedArtifacts {
  /** the folder to load from: the run folder when it is on this host and intact, else this replica's cache */
  dir: string;
  /** files fetched from the registry by this call (empty when every file was already here) */
  fetched: { name: string; bytes: number }[];
}

const SAFE_ID = /^[A-Za-z0-9_-]{1,64}$/;
const SAFE_NAME = /^[A-Za-z0-9_.-]{1,128}$/;

/**
 * This replica's copy of the versions' artefacts, under `<root>/<versionId>/`. A version loads from its
 * run folder when the worker shared this host and the files still match the registry's sha256;
 * otherwise each file comes from the cache when it matches, else from the registry database, checked
 * against the registry's sha256 before it is written (to a temporary name, then renamed, so a
 * crash never leaves a half file under the real name). Any file that cannot be had, or whose bytes
 * disagree with the registry, refuses the whole version with an ArtifactError naming the file.
 */
export class ArtifactCache {
  constructor(
    readonly root: string,
    private readonly source: ArtifactBytesSource,
  ) {}

  async resolve(version: Pick<ModelVersionEntity, 'id' | 'artifactDir' | 'checksums'>): Promise<ResolvedArtifacts> {
    for (const name of REQUIRED_ARTIFACTS) {
      if (!version.checksums[name]) throw new ArtifactError(`artefact ${name} of version ${version.id} has no recorded checksum`);
    }
    const local = await verifyChecksums(version.artifactDir, version.checksums).then(
      () => true,
      () => false,
    );
    if (local) return { dir: version.artifactDir, fetched: [] };
    if (!SAFE_ID.test(version.id)) throw new ArtifactError(`version id ${JSON.stringify(version.id)} cannot name a cache folder`);
    const dir = join(this.root, version.id);
    await mkdir(dir, { recursive: true }).catch((err: NodeJS.ErrnoException) => {
      throw new ArtifactError(`cannot make the artefact cache folder ${dir}: ${err.code ?? err.message}`, 'ARTIFACT_UNAVAILABLE');
    });
    const fetched: ResolvedArtifacts['fetched'] = [];
    for (const [name, want] of Object.entries(version.checksums)) {
      if (!SAFE_NAME.test(name))
        throw new ArtifactError(`artefact name ${JSON.stringify(name)} of version ${version.id} is not a plain file name`);
      const path = join(dir, name);
      if (existsSync(path) && (await sha256File(path)) === want) continue;
      const bytes = await this.fetch(version, name, want, path);
      fetched.push({ name, bytes });
    }
    return { dir, fetched };
  }

  /**
   * One file from the registry, piece by piece, into a temporary name beside `path`, hashed on the way;
   * renamed to `path` only when every byte came and matches `want`, so a crash or a bad blob never leaves
   * a half or wrong file under the real name. Returns its size.
   */
  private async fetch(version: Pick<ModelVersionEntity, 'id' | 'artifactDir'>, name: string, want: string, path: string): Promise<number> {
    const tmp = `${path}.${process.pid}.tmp`;
    const hash = createHash('sha256');
    let size = 0;
    let found: boolean;
    const out = await open(tmp, 'w').catch((err: NodeJS.ErrnoException) => {
      throw cannotWrite(path, version.id, err);
    });
    try {
      found = await this.source.readArtifact(version.id, name, async (piece) => {
        hash.update(piece);
        size += piece.length;
        await out.write(piece).catch((err: NodeJS.ErrnoException) => {
          throw cannotWrite(path, version.id, err);
        });
      });
      await out.close();
    } catch (err) {
      await out.close().catch(() => undefined);
      await rm(tmp, { force: true }).catch(() => undefined);
      throw err;
    }
    const got = hash.digest('hex');
    if (!found || got !== want) await rm(tmp, { force: true }).catch(() => undefined);
    if (!found)
      throw new ArtifactError(
        `artefact ${name} of version ${version.id} is neither in its run folder ${version.artifactDir} nor in the registry database`,
        'ARTIFACT_UNAVAILABLE',
      );
    if (got !== want)
      throw new ArtifactError(
        `artefact ${name} of version ${version.id} from the registry database fails its checksum (want ${want.slice(0, 12)}…, got ${got.slice(0, 12)}…)`,
      );
    await rename(tmp, path).catch(async (err: NodeJS.ErrnoException) => {
      await rm(tmp, { force: true }).catch(() => undefined);
      throw cannotWrite(path, version.id, err);
    });
    return size;
  }

  /** Deletes the cached folders of versions `keep` says no; returns their ids. */
  async prune(keep: (versionId: string) => boolean): Promise<string[]> {
    const entries = await readdir(this.root, { withFileTypes: true }).catch(() => []);
    const gone: string[] = [];
    for (const e of entries) {
      if (!e.isDirectory() || keep(e.name)) continue;
      await rm(join(this.root, e.name), { recursive: true, force: true });
      gone.push(e.name);
    }
    return gone;
  }
}

/** A write that fails (a full disk: ENOSPC, a quota: EDQUOT) refuses the version as ARTIFACT_UNAVAILABLE on this replica. */
function cannotWrite(path: string, versionId: string, err: NodeJS.ErrnoException): ArtifactError {
  return new ArtifactError(
    `cannot write ${path} (version ${versionId}) to this replica's artefact cache: ${err.code ?? err.message}`,
    'ARTIFACT_UNAVAILABLE',
  );
}
