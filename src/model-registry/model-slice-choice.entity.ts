import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ModelKind } from './model-kinds';
import type { SliceReason } from './slice-choice';

/**
 * One row of a version's slice table (slice-choice.ts): while `activeVersionId` is ACTIVE, users in `slice`
 * are served by `versionId`. Written with the activation, in its transaction, so every replica reads the same
 * table (migration 1796490000000).
 */
@Entity({ name: 'model_slice_choices' })
export class ModelSliceChoiceEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  activeVersionId!: string;

  @PrimaryColumn({ type: 'varchar', length: 64 })
  slice!: string;

  @Column({ type: 'varchar', length: 36 })
  versionId!: string;

  @Column({ type: 'varchar', length: 32 })
  kind!: ModelKind;

  @Column({ type: 'varchar', length: 32 })
  reason!: SliceReason;

  @Column({ type: 'integer' })
  users!: number;

  @Column({ type: 'double precision', nullable: true })
  activeRecall!: number | null;

  @Column({ type: 'double precision', nullable: true })
  activeHalfWidth!: number | null;

  @Column({ type: 'varchar', length: 36, nullable: true })
  candidateVersionId!: string | null;

  @Column({ type: 'double precision', nullable: true })
  candidateRecall!: number | null;

  @Column({ type: 'double precision', nullable: true })
  candidateHalfWidth!: number | null;
}
