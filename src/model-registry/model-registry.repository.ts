import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { ModelVersionEntity } from './model-version.entity';

/** All SQL access of the model registry. */
@Injectable()
export class ModelRegistryRepository {
  constructor(@InjectRepository(ModelVersionEntity) private readonly versions: Repository<ModelVersionEntity>) {}

  list(limit: number): Promise<ModelVersionEntity[]> {
    return this.versions.find({ order: { createdAt: 'DESC' }, take: limit });
  }

  active(): Promise<ModelVersionEntity | null> {
    return this.versions.findOne({ where: { status: 'ACTIVE' }, order: { activatedAt: 'DESC' } });
  }

  async ping(): Promise<void> {
    await this.versions.query('SELECT 1');
  }
}
