import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Not, Repository } from 'typeorm';
import { ModelKind, ModelVersionEntity } from './model-version.entity';

/** All SQL access of the model registry. */
@Injectable()
export class ModelRegistryRepository {
  constructor(@InjectRepository(ModelVersionEntity) private readonly versions: Repository<ModelVersionEntity>) {}

  list(limit: number): Promise<ModelVersionEntity[]> {
    return this.versions.find({ order: { createdAt: 'DESC' }, take: limit });
  }

  get(id: string): Promise<ModelVersionEntity | null> {
    return this.versions.findOne({ where: { id } });
  }

  active(): Promise<ModelVersionEntity | null> {
    return this.versions.findOne({ where: { status: 'ACTIVE' }, order: { activatedAt: 'DESC' } });
  }

  /** The most recently activated version of a kind (serving `model: <kind>`). */
  latestActivatedOfKind(kind: ModelKind): Promise<ModelVersionEntity | null> {
    return this.versions.findOne({ where: { kind, activatedAt: Not(IsNull()) }, order: { activatedAt: 'DESC' } });
  }

  /**
   * The version that was active before the current one: rollback's target. Never-activated rows are
   * left out in SQL: PostgreSQL sorts NULLs first in DESC order, SQLite last.
   */
  previousActive(currentId: string | null): Promise<ModelVersionEntity | null> {
    return this.versions.findOne({
      where: { status: 'RETIRED', activatedAt: Not(IsNull()), ...(currentId ? { id: Not(currentId) } : {}) },
      order: { activatedAt: 'DESC' },
    });
  }

  insertCandidate(v: Omit<ModelVersionEntity, 'id' | 'createdAt' | 'updatedAt' | 'status' | 'activatedAt'>): Promise<ModelVersionEntity> {
    return this.versions.save(this.versions.create({ ...v, status: 'CANDIDATE', activatedAt: null }));
  }

  /** Makes `id` the only ACTIVE version, in one transaction. */
  async activate(id: string, at: Date): Promise<void> {
    await this.versions.manager.transaction(async (m) => {
      await m.update(ModelVersionEntity, { status: 'ACTIVE' }, { status: 'RETIRED' });
      await m.update(ModelVersionEntity, { id }, { status: 'ACTIVE', activatedAt: at });
    });
  }

  async ping(): Promise<void> {
    await this.versions.query('SELECT 1');
  }
}
