import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

import type { ModelKind } from './model-kinds';

export type { ModelKind };
export type ModelVersionStatus = 'CANDIDATE' | 'ACTIVE' | 'RETIRED';

/** One trained model: what it was trained on, how well it did, and where its artefacts are. */
@Entity({ name: 'model_versions' })
@Index(['kind', 'status'])
export class ModelVersionEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 32 })
  kind!: ModelKind;

  @Column({ type: 'varchar', length: 16, default: 'CANDIDATE' })
  status!: ModelVersionStatus;

  /** The training run (queue job) that produced it. */
  @Column({ type: 'varchar', length: 64, nullable: true })
  runId!: string | null;

  @Column({ type: 'simple-json', nullable: true })
  snapshotStats!: Record<string, number> | null;

  @Column({ type: 'simple-json', nullable: true })
  hyperparameters!: Record<string, unknown> | null;

  @Column({ type: 'simple-json', nullable: true })
  metrics!: Record<string, unknown> | null;

  @Column({ type: 'varchar', length: 1024 })
  artifactDir!: string;

  /** File name → sha256 of every artefact, checked again before the version is loaded. */
  @Column({ type: 'simple-json' })
  checksums!: Record<string, string>;

  /**
   * When it last became ACTIVE; rollback goes to the most recently activated other version.
   * `Date` lets each driver choose its type (datetime on SQLite, timestamp on PostgreSQL, where a
   * later migration makes the three date columns timestamptz).
   */
  @Column({ type: Date, nullable: true })
  activatedAt!: Date | null;

  @CreateDateColumn()
  createdAt!: Date;

  @UpdateDateColumn()
  updatedAt!: Date;
}
