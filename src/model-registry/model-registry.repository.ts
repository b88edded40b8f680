import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, IsNull, Not, Repository } from 'typeorm';
import { ModelSliceChoiceEntity } from './model-slice-choice.entity';
import { ModelKind, ModelVersionEntity } from './model-version.entity';
import type { SliceChoice } from './slice-choice';
import { mapSqlError } from './sql-errors';

/** One artefact file of a version, as the registry database holds it (table model_artifacts). */
export interface ArtifactBlob {
  name: string;
  sha256: string;
  bytes: Buffer;
}

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

  /** Writes the version row and its artefact bytes in one transaction: a version is never registered without them. */
  insertCandidate(
    v: Omit<ModelVersionEntity, 'id' | 'createdAt' | 'updatedAt' | 'status' | 'activatedAt'>,
    files: ArtifactBlob[],
  ): Promise<ModelVersionEntity> {
    return sql(() =>
      this.versions.manager.transaction(async (m) => {
        const saved = await m.save(m.create(ModelVersionEntity, { ...v, status: 'CANDIDATE', activatedAt: null }));
        const [p1, p2, p3, p4, p5] = this.placeholders(5);
        for (const f of files) {
          await m.query(
            `INSERT INTO model_artifacts ("versionId", "name", "sha256", "size", "bytes") VALUES (${p1}, ${p2}, ${p3}, ${p4}, ${p5})`,
            [saved.id, f.name, f.sha256, f.bytes.length, f.bytes],
          );
        }
        return saved;
      }),
    );
  }

  /** The bytes of one artefact of a version, or null when the registry does not hold them (a version registered before model_artifacts). */
  async artifactBytes(versionId: string, name: string): Promise<Buffer | null> {
    const [p1, p2] = this.placeholders(2);
    const rows = (await sql(() =>
      this.versions.query(`SELECT "bytes" FROM model_artifacts WHERE "versionId" = ${p1} AND "name" = ${p2}`, [versionId, name]),
    )) as { bytes: Buffer | Uint8Array }[];
    return rows.length ? Buffer.from(rows[0].bytes) : null;
  }

  /** Replaces the bytes of one artefact (operators repairing a version; tests corrupting one). */
  async putArtifactBytes(versionId: string, name: string, bytes: Buffer): Promise<void> {
    const [p1, p2, p3, p4] = this.placeholders(4);
    await sql(() =>
      this.versions.query(`UPDATE model_artifacts SET "bytes" = ${p1}, "size" = ${p2} WHERE "versionId" = ${p3} AND "name" = ${p4}`, [
        bytes,
        bytes.length,
        versionId,
        name,
      ]),
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
