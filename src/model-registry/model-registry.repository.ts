import { createHash } from 'node:crypto';
import { open, stat } from 'node:fs/promises';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, IsNull, Not, Repository } from 'typeorm';
import { ArtifactError } from './artifacts';
import { ModelSliceChoiceEntity } from './model-slice-choice.entity';
import { ModelKind, ModelVersionEntity } from './model-version.entity';
import type { SliceChoice } from './slice-choice';
import { mapSqlError } from './sql-errors';

/** One artefact file of a version to register: its run-folder path and the sha256 the trainer reported. */
export interface ArtifactFile {
  name: string;
  sha256: string;
  path: string;
}

/**
 * The size of one stored piece of an artefact (table model_artifact_chunks). One value per file could not
 * hold the 100× rung's (better-sqlite3 binds at most 536,870,888 bytes; a bytea read as text doubles);
 * 16 MiB pieces keep both sides' memory to a piece (docs/decisions/0038-artefacts-in-chunks.md).
 */
export const ARTIFACT_CHUNK_BYTES = 16 * 2 ** 20;

/** All SQL access of the model registry; a database that cannot be reached is UNAVAILABLE / REGISTRY_UNAVAILABLE (sql-errors.ts). */
@Injectable()
export class ModelRegistryRepository {
  constructor(@InjectRepository(ModelVersionEntity) private readonly versions: Repository<ModelVersionEntity>) {}

  list(limit: number): Promise<ModelVersionEntity[]> {
    return sql(() => this.versions.find({ order: { createdAt: 'DESC' }, take: limit }));
  }

  async page(offset: number, limit: number): Promise<{ rows: ModelVersionEntity[]; total: number }> {
    const [rows, total] = await this.versions.findAndCount({ order: { createdAt: 'DESC', id: 'DESC' }, skip: offset, take: limit });
    return { rows, total };
  }

  get(id: string): Promise<ModelVersionEntity | null> {
    return sql(() => this.versions.findOne({ where: { id } }));
  }

  active(): Promise<ModelVersionEntity | null> {
    return sql(() => this.versions.findOne({ where: { status: 'ACTIVE' }, order: { activatedAt: 'DESC' } }));
  }

  /** The most recently activated version of a kind (serving `model: <kind>`). */
  latestActivatedOfKind(kind: ModelKind): Promise<ModelVersionEntity | null> {
    return sql(() => this.versions.findOne({ where: { kind, activatedAt: Not(IsNull()) }, order: { activatedAt: 'DESC' } }));
  }

  /**
   * The version that was active before the current one: rollback's target. Never-activated rows are
   * left out in SQL: PostgreSQL sorts NULLs first in DESC order, SQLite last.
   */
  previousActive(currentId: string | null): Promise<ModelVersionEntity | null> {
    return sql(() =>
      this.versions.findOne({
        where: { status: 'RETIRED', activatedAt: Not(IsNull()), ...(currentId ? { id: Not(currentId) } : {}) },
        order: { activatedAt: 'DESC' },
      }),
    );
  }

  /**
   * Writes the version row and its artefact bytes in one transaction: a version is never registered without
   * them. Each file is read in pieces of `chunkBytes` and hashed as it is stored; one whose bytes are not the
   * sha256 the trainer reported rolls everything back (ArtifactError).
   */
  insertCandidate(
    v: Omit<ModelVersionEntity, 'id' | 'createdAt' | 'updatedAt' | 'status' | 'activatedAt'>,
    files: ArtifactFile[],
    chunkBytes = ARTIFACT_CHUNK_BYTES,
  ): Promise<ModelVersionEntity> {
    return sql(() =>
      this.versions.manager.transaction(async (m) => {
        const saved = await m.save(m.create(ModelVersionEntity, { ...v, status: 'CANDIDATE', activatedAt: null }));
        const [p1, p2, p3, p4] = this.placeholders(4);
        for (const f of files) {
          const { size } = await stat(f.path);
          await m.query(`INSERT INTO model_artifacts ("versionId", "name", "sha256", "size") VALUES (${p1}, ${p2}, ${p3}, ${p4})`, [
            saved.id,
            f.name,
            f.sha256,
            size,
          ]);
          const hash = createHash('sha256');
          let seq = 0;
          let total = 0;
          const buf = Buffer.allocUnsafe(chunkBytes); // reused: each piece is sent before the next read
          const fh = await open(f.path, 'r');
          try {
            for (;;) {
              const { bytesRead } = await fh.read(buf, 0, chunkBytes, null);
              if (bytesRead === 0 && seq > 0) break;
              const piece = buf.subarray(0, bytesRead);
              hash.update(piece);
              total += bytesRead;
              await m.query(`INSERT INTO model_artifact_chunks ("versionId", "name", "seq", "bytes") VALUES (${p1}, ${p2}, ${p3}, ${p4})`, [
                saved.id,
                f.name,
                seq++,
                piece,
              ]);
              if (bytesRead < chunkBytes) break;
            }
          } finally {
            await fh.close();
          }
          if (total !== size || hash.digest('hex') !== f.sha256)
            throw new ArtifactError(`artefact ${f.name} does not match the checksum the trainer reported`);
        }
        return saved;
      }),
    );
  }

  /**
   * Hands one artefact of a version to `onPiece` in order, a stored piece at a time; false when the
   * registry does not hold it (a version registered before model_artifacts).
   */
  async readArtifact(versionId: string, name: string, onPiece: (bytes: Buffer) => Promise<void>): Promise<boolean> {
    const [p1, p2, p3] = this.placeholders(3);
    const file = (await sql(() =>
      this.versions.query(`SELECT "size" FROM model_artifacts WHERE "versionId" = ${p1} AND "name" = ${p2}`, [versionId, name]),
    )) as unknown[];
    if (!file.length) return false;
    for (let seq = 0; ; seq++) {
      const rows = (await sql(() =>
        this.versions.query(`SELECT "bytes" FROM model_artifact_chunks WHERE "versionId" = ${p1} AND "name" = ${p2} AND "seq" = ${p3}`, [
          versionId,
          name,
          seq,
        ]),
      )) as { bytes: Buffer | Uint8Array }[];
      if (!rows.length) return true;
      await onPiece(Buffer.from(rows[0].bytes));
    }
  }

  /** The bytes of one (small) artefact of a version whole, or null when the registry does not hold them. */
  async artifactBytes(versionId: string, name: string): Promise<Buffer | null> {
    const pieces: Buffer[] = [];
    return (await this.readArtifact(versionId, name, async (b) => void pieces.push(b))) ? Buffer.concat(pieces) : null;
  }

  /** Replaces the bytes of one artefact by one piece (operators repairing a version; tests corrupting one). */
  async putArtifactBytes(versionId: string, name: string, bytes: Buffer): Promise<void> {
    const [p1, p2, p3, p4] = this.placeholders(4);
    await sql(() =>
      this.versions.manager.transaction(async (m) => {
        await m.query(`DELETE FROM model_artifact_chunks WHERE "versionId" = ${p1} AND "name" = ${p2}`, [versionId, name]);
        await m.query(`INSERT INTO model_artifact_chunks ("versionId", "name", "seq", "bytes") VALUES (${p1}, ${p2}, ${p3}, ${p4})`, [
          versionId,
          name,
          0,
          bytes,
        ]);
        await m.query(`UPDATE model_artifacts SET "size" = ${p1} WHERE "versionId" = ${p2} AND "name" = ${p3}`, [
          bytes.length,
          versionId,
          name,
        ]);
      }),
    );
  }

  /** `$1…` on PostgreSQL, `?` on SQLite. */
  private placeholders(n: number): string[] {
    const pg = this.versions.manager.connection.options.type === 'postgres';
    return Array.from({ length: n }, (_, i) => (pg ? `$${i + 1}` : '?'));
  }

  /**
   * Makes `id` the only ACTIVE version and, when given, replaces its slice table (slice-choice.ts), in one
   * transaction: a replica never reads the new version with the previous table, or the reverse.
   */
  async activate(id: string, at: Date, slices?: SliceChoice[]): Promise<void> {
    await sql(() =>
      this.versions.manager.transaction(async (m) => {
        await m.update(ModelVersionEntity, { status: 'ACTIVE' }, { status: 'RETIRED' });
        await m.update(ModelVersionEntity, { id }, { status: 'ACTIVE', activatedAt: at });
        if (slices) await writeSliceChoices(m, id, slices);
      }),
    );
  }

  /** The slice table of a version (what serves each slice while it is active), by slice; [] when none was written. */
  sliceChoices(activeVersionId: string): Promise<SliceChoice[]> {
    return sql(() =>
      this.versions.manager.getRepository(ModelSliceChoiceEntity).find({ where: { activeVersionId }, order: { slice: 'ASC' } }),
    );
  }

  /** Replaces a version's slice table on its own (operators correcting a table; tests forcing one). */
  async replaceSliceChoices(activeVersionId: string, slices: SliceChoice[]): Promise<void> {
    await sql(() => this.versions.manager.transaction((m) => writeSliceChoices(m, activeVersionId, slices)));
  }

  async ping(): Promise<void> {
    await sql(() => this.versions.query('SELECT 1'));
  }
}

async function writeSliceChoices(m: EntityManager, activeVersionId: string, slices: SliceChoice[]): Promise<void> {
  await m.delete(ModelSliceChoiceEntity, { activeVersionId });
  if (slices.length)
    await m.insert(
      ModelSliceChoiceEntity,
      slices.map((r) => ({ ...r, activeVersionId })),
    );
}

/** Runs one database call, mapping an unreachable database to REGISTRY_UNAVAILABLE. */
async function sql<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw mapSqlError(err);
  }
}
