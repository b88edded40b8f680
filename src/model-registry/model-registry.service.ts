import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DomainError, notFound } from '../common/errors/domain-error';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config.schema';
import { GraphChanges } from '../ingestion/graph-changes';
import { ArtifactError, releaseArtifacts, REQUIRED_ARTIFACTS, sha256File } from './artifacts';
import { AttentionRepository } from './attention.repository';
import { ModelKind, ModelVersionEntity } from './model-version.entity';
import { ArtifactFile, ModelRegistryRepository } from './model-registry.repository';
import { ModelStore, SliceRouting } from './model-store';
import { pairAttention } from './pair-attention';
import { chooseSliceModels, SliceChoice, sliceCandidates } from './slice-choice';
import { FriendAttentionType, TrainingCurvePointType, trainingPhase } from './types/friend-attention.type';

/** A history longer than this is cut (the trainer's epochs are bounded far below it). */
const CURVE_MAX_POINTS = 5_000;
/** The slice table's candidates are looked for among this many newest registered versions. */
const SLICE_CANDIDATES_SCAN = 500;
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export interface RegisterInput {
  kind: ModelKind;
  artifactDir: string;
  runId: string | null;
  snapshotStats: Record<string, number> | null;
  hyperparameters: Record<string, unknown> | null;
  /** sha256 per file as the trainer reported them; checked against the files before registering. */
  checksums: Record<string, string>;
}

/** Validation Recall@20 of a version (the promotion criterion). */
export function validationRecall20(v: Pick<ModelVersionEntity, 'metrics'>): number | null {
  const m = v.metrics as { val?: Record<string, number>; validation?: Record<string, number> } | null;
  const r = m?.val?.['recall@20'] ?? m?.validation?.['recall@20'];
  return typeof r === 'number' ? r : null;
}

/** Registers, promotes and rolls back model versions; serving follows through the ModelStore. */
@Injectable()
export class ModelRegistryService {
  private readonly logger = new Logger(ModelRegistryService.name);
  private promoting: Promise<unknown> = Promise.resolve();
  constructor(
    private readonly repo: ModelRegistryRepository,
    private readonly store: ModelStore,
    private readonly attention: AttentionRepository,
    @Optional() private readonly changes?: GraphChanges,
    @Optional() @Inject(APP_CONFIG) private readonly config?: Pick<AppConfig, 'SLICE_MODEL_CHOICE'>,
  ) {}

  /**
   * Registers a CANDIDATE after proving its artefacts: checksums match what the trainer reported,
   * both ONNX models load and a smoke inference works. Nothing is written when any check fails. The
   * artefact bytes go into the registry database with the version row, in one transaction, so every
   * replica can load the version without a shared disk (docs/decisions/0022-artefacts-in-the-registry.md).
   */
  async register(input: RegisterInput): Promise<ModelVersionEntity> {
    for (const name of REQUIRED_ARTIFACTS) {
      if (!input.checksums[name]) throw new ArtifactError(`the trainer reported no ${name}`);
    }
    // Checked here, before the probe load, and again piece by piece as the bytes are stored.
    const files: ArtifactFile[] = [];
    for (const [name, want] of Object.entries(input.checksums)) {
      const path = join(input.artifactDir, name);
      if ((await sha256File(path).catch(() => null)) !== want)
        throw new ArtifactError(`artefact ${name} does not match the checksum the trainer reported`);
      files.push({ name, sha256: want, path });
    }
    const metrics = JSON.parse(readFileSync(join(input.artifactDir, 'metrics.json'), 'utf8')) as Record<string, unknown>;
    const probe = {
      ...input,
      metrics,
      id: 'probe',
      status: 'CANDIDATE',
      activatedAt: null,
      createdAt: new Date(),
      updatedAt: new Date(),
    } as ModelVersionEntity;
    // Throws ArtifactError for a corrupt or truncated model; the probe's sessions are freed at once.
    await releaseArtifacts((await this.store.load(probe)).model);
    return this.repo.insertCandidate({ ...input, metrics }, files);
  }

  list(limit: number): Promise<ModelVersionEntity[]> {
    return this.repo.list(limit);
  }

  /** `limit` versions from `offset` on, newest first, and how many there are. */
  page(offset: number, limit: number): Promise<{ rows: ModelVersionEntity[]; total: number }> {
    return this.repo.page(offset, limit);
  }

  active(): Promise<ModelVersionEntity | null> {
    return this.repo.active();
  }

  /** True when `candidate` should replace the active version: its validation Recall@20 is at least `ratio` × the active one's. */
  async shouldPromote(candidate: ModelVersionEntity, ratio: number): Promise<boolean> {
    const active = await this.repo.active();
    if (!active) return true;
    const a = validationRecall20(active);
    const c = validationRecall20(candidate);
    return c !== null && (a === null || c >= a * ratio);
  }

  /**
   * Loads and validates the version first; then makes FRIEND edges carry its attention (none for a model
   * without any), in one transaction; only then marks it ACTIVE and swaps serving to it. Auto-promotion,
   * promoteModelVersion and rollbackModel all come here, so the edges follow whichever version serves.
   * Promotions in this process run one at a time, so edges and serving cannot end on two different versions.
   */
  promote(id: string): Promise<ModelVersionEntity> {
    const run = this.promoting.then(() => this.promoteNow(id));
    this.promoting = run.catch(() => undefined);
    return run;
  }

  private async promoteNow(id: string): Promise<ModelVersionEntity> {
    const version = await this.repo.get(id);
    if (!version) throw notFound('MODEL_VERSION_NOT_FOUND', `no model version ${id}`);
    const loaded = await this.store.load(version);
    // The slice table, from validation figures only (slice-choice.ts): part of the activation, so replicas read the same.
    let table: SliceChoice[];
    let routing: SliceRouting;
    try {
      table = chooseSliceModels(version, sliceCandidates(version, await this.repo.list(SLICE_CANDIDATES_SCAN)));
      routing = await this.store.sliceRouting(loaded, table); // loads the versions it switches slices to, before anything changes
    } catch (err) {
      await releaseArtifacts(loaded.model);
      throw err;
    }
    let edges: number;
    try {
      edges = await this.attention.replace(pairAttention(loaded.model.attention), id);
    } catch (err) {
      await releaseArtifacts(loaded.model);
      await this.store.discard(routing);
      throw err;
    }
    const at = new Date();
    try {
      await this.repo.activate(id, at, table);
    } catch (err) {
      // The registry refused (e.g. its database is down): the edges go back to the version that keeps serving.
      await this.restoreAttention().catch((e: Error) => this.logger.error(`attention not restored after a failed promotion: ${e.message}`));
      await releaseArtifacts(loaded.model);
      await this.store.discard(routing);
      throw err;
    }
    const fresh = { ...version, status: 'ACTIVE' as const, activatedAt: at };
    this.store.swap({ version: fresh, model: loaded.model }, { ...routing, activeVersionId: id });
    const switched = table.filter((r) => r.reason === 'PAYS').map((r) => `${r.slice} → ${r.kind} ${r.versionId}`);
    this.logger.log(
      `promoted ${version.kind} ${id} (attention on ${edges} FRIEND edges; slices switched: ${switched.join(', ') || 'none'})`,
    );
    // the other replicas (and, from a worker, every API) load it now instead of at their next poll
    await this.changes?.announce({ kind: 'modelActivated', versionId: id });
    return fresh;
  }

  /** FRIEND edges carry the attention of the version this process serves (none without a model). */
  private async restoreAttention(): Promise<void> {
    const serving = this.store.active();
    await this.attention.replace(serving ? pairAttention(serving.model.attention) : [], serving?.version.id ?? '');
  }

  /** A version's slice table (default: the active version's) and whether this process routes by it; null without an active version. */
  async sliceTable(versionId: string | null): Promise<{ versionId: string; enabled: boolean; slices: SliceChoice[] } | null> {
    const version = versionId ? await this.repo.get(versionId) : await this.repo.active();
    if (!version && versionId) throw notFound('MODEL_VERSION_NOT_FOUND', `no model version ${versionId}`);
    if (!version) return null;
    return { versionId: version.id, enabled: this.config?.SLICE_MODEL_CHOICE ?? false, slices: await this.repo.sliceChoices(version.id) };
  }

  /** A user's friends with the active model's attention both ways, as stored on FRIEND edges. */
  friendAttention(userId: string, first: number): Promise<FriendAttentionType[]> {
    return this.attention.friendsOf(userId, first);
  }

  /**
   * A version's training history per epoch (its history.json artefact in the registry): loss, and the
   * validation metrics on the epochs that evaluated. Empty when the registry holds no history.
   */
  async trainingCurve(versionId: string): Promise<TrainingCurvePointType[]> {
    const bytes = await this.repo.artifactBytes(versionId, 'history.json');
    if (!bytes) return [];
    const history = JSON.parse(bytes.toString('utf8')) as unknown;
    if (!Array.isArray(history)) return [];
    return history.slice(0, CURVE_MAX_POINTS).flatMap((h: Record<string, unknown>) => {
      const epoch = num(h?.epoch);
      if (epoch === null) return [];
      const val = h.val && typeof h.val === 'object' ? (h.val as Record<string, number>) : null;
      return [{ epoch, loss: num(h.loss), phase: trainingPhase(h.phase), validation: val }];
    });
  }

  /** Makes the previously active version active again. */
  async rollback(): Promise<ModelVersionEntity> {
    const current = await this.repo.active();
    const previous = await this.repo.previousActive(current?.id ?? null);
    if (!previous) throw new DomainError('CONFLICT', 'NO_PREVIOUS_VERSION', 'There is no previously active model version to roll back to');
    return this.promote(previous.id);
  }
}
