import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger, Optional } from '@nestjs/common';
import { Job, UnrecoverableError } from 'bullmq';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fromRoot } from '../common/repo-root';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config.schema';
import { sha256File } from '../model-registry/artifacts';
import { writeItemIndexes } from '../model-registry/index-files';
import { trainerModelName } from '../model-registry/model-kinds';
import { ModelRegistryService } from '../model-registry/model-registry.service';
import { currentRequest, isValidRequestId, runInRequest } from '../observability/request-context';
import { Telemetry } from '../observability/telemetry';
import { finish } from '../observability/tracing';
import { MaintenanceService } from '../sampling/maintenance.service';
import { SnapshotService } from '../sampling/snapshot.service';
import { trainingJobProblems } from './dto/training-job.check';
import { RetentionService } from './retention.service';
import { TRAINING_QUEUE } from './queue.constants';
import { TrainingQueueRepository } from './queue.repository';
import { TrainerRunner } from './trainer.runner';
import { CANCELLED_PREFIX, TrainingJobData, TrainingJobResult, TrainingProgress } from './training.types';

/**
 * One training run: export the snapshot → run the trainer (child process) → build the item indexes
 * (index-files.ts; above ANN_MIN_ITEMS) → validate and register
 * the artefacts → promote when better (the promotion writes the version's attention onto FRIEND
 * edges). Any failure ends the run FAILED with its reason; nothing is registered unless every
 * artefact check passed. A cancel is honoured between every two stages, up to the promotion.
 */
@Processor(TRAINING_QUEUE, { concurrency: 1, lockDuration: 60_000 })
export class TrainingProcessor extends WorkerHost {
  private readonly logger = new Logger(TrainingProcessor.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly snapshots: SnapshotService,
    private readonly maintenance: MaintenanceService,
    private readonly runner: TrainerRunner,
    private readonly registry: ModelRegistryService,
    private readonly jobs: TrainingQueueRepository,
    private readonly retention: RetentionService,
    @Optional() private readonly telemetry?: Telemetry,
  ) {
    super();
  }

  /**
   * The job runs in the async context of the request that enqueued it (its request id from the job
   * data, else `job-<id>`): its log lines, its span (`training job`, a child span per stage) and the
   * trainer's events carry that id. Its duration is observed by model kind and outcome.
   */
  async process(job: Job<TrainingJobData>): Promise<TrainingJobResult> {
    const requestId = isValidRequestId(job.data?.requestId) ? job.data.requestId : `job-${job.id}`;
    const tracing = this.telemetry?.tracing;
    const t0 = performance.now();
    let outcome = 'failed';
    try {
      const run = () => this.run(job, requestId);
      const result = await runInRequest({ requestId }, () =>
        tracing
          ? tracing.inSpan('training job', { 'tastegraph.job_id': job.id ?? '', 'tastegraph.model': String(job.data?.model) }, run)
          : run(),
      );
      outcome = result.promoted ? 'promoted' : 'registered';
      return result;
    } catch (err) {
      if ((err as Error).message.startsWith(CANCELLED_PREFIX)) outcome = 'cancelled';
      throw err;
    } finally {
      this.telemetry?.metrics?.trainingJobDuration.observe({ model: String(job.data?.model), outcome }, (performance.now() - t0) / 1000);
    }
  }

  private async run(job: Job<TrainingJobData>, requestId: string): Promise<TrainingJobResult> {
    const id = job.id!;
    const runDir = fromRoot(join(this.config.TRAINER_RUNS_DIR, id));
    const timings: Record<string, number> = {};
    // Each stage: its time in the result, a histogram observation, and a span the stage's Neo4j spans hang under.
    const store = currentRequest();
    const jobSpan = store?.span;
    let stageSpan: ReturnType<Telemetry['tracing']['start']> = null;
    const begin = (name: string) => {
      stageSpan = this.telemetry?.tracing.start(`training ${name}`, { 'tastegraph.stage': name }, jobSpan) ?? null;
      if (store && stageSpan) store.span = stageSpan;
    };
    const t = (name: string, t0: number) => {
      timings[name] = Math.round((performance.now() - t0) / 10) / 100;
      this.telemetry?.metrics?.trainingStageDuration.observe({ stage: name }, (performance.now() - t0) / 1000);
      finish(stageSpan);
      stageSpan = null;
      if (store) store.span = jobSpan;
      return timings[name];
    };
    const progress = (p: TrainingProgress) => job.updateProgress(p as unknown as object);
    const abort = new AbortController();
    const poll = setInterval(() => {
      void this.jobs.isCancelled(id).then(
        (c) => c && abort.abort(),
        () => undefined,
      );
    }, 1_000);
    poll.unref();
    // Checked between every two stages: a cancel is honoured wherever the run is, up to the promotion.
    const stopIfCancelled = async (stage: string) => {
      if (abort.signal.aborted || (await this.jobs.isCancelled(id))) throw new UnrecoverableError(`${CANCELLED_PREFIX} ${stage}`);
    };
    try {
      // The job came back from Redis: checked again against the mutation's schema before any of it becomes a flag.
      const problems = trainingJobProblems(job.data?.model, job.data?.params);
      if (problems.length) {
        throw new UnrecoverableError(`invalid job parameters: ${problems.map((d) => `${d.field}: ${d.message}`).join('; ')}`);
      }
      await stopIfCancelled('before start');
      mkdirSync(runDir, { recursive: true });
      const { idPrefix, ...trainerParams } = job.data.params;
      const prefix = (idPrefix as string | undefined) ?? this.config.TRAINING_ID_PREFIX;

      await progress({ stage: 'export', percent: 2 });
      let t0 = performance.now();
      begin('overlap');
      // Edges written since the last run need sampling keys, and FRIEND.overlap (the trainer's social pre-filter) follows the interactions.
      const refreshed = await this.maintenance.refresh({ idPrefix: prefix || undefined });
      t('overlap', t0);
      await stopIfCancelled('during the overlap refresh');
      await job.log(
        `overlap refreshed on ${refreshed.friendships} FRIEND edges, sampling keys ${JSON.stringify(refreshed.sampleKeys)} in ${timings.overlap}s`,
      );
      t0 = performance.now();
      begin('export');
      const snap = await this.snapshots.exportSnapshot(join(runDir, 'snapshot'), { idPrefix: prefix || null });
      t('export', t0);
      await stopIfCancelled('during export');
      await job.log(`snapshot: ${JSON.stringify(snap.counts)} in ${timings.export}s`);
      if (snap.counts.interactions === 0) throw new UnrecoverableError('the graph has no interactions to train on');

      await progress({ stage: 'train', percent: 10 });
      t0 = performance.now();
      begin('train');
      const epochs = Number(trainerParams.epochs ?? 0) || undefined;
      const maxMinutes = Number(trainerParams.maxMinutes ?? 0) || undefined;
      let lastEpochWrite = 0;
      const result = await this.runner.run(
        {
          model: trainerModelName(job.data.model),
          snapshotDir: join(runDir, 'snapshot'),
          outDir: join(runDir, 'model'),
          params: { ...trainerParams },
          requestId,
        },
        (e) => {
          if (e.event !== 'epoch') {
            void job.log(JSON.stringify(e));
            return;
          }
          const epoch = Number(e.epoch);
          const now = Date.now();
          if (now - lastEpochWrite < 500 && !e.metrics) return; // keep Redis writes modest
          lastEpochWrite = now;
          const total = epochs ?? (Number(e.epochs) || undefined);
          // Early stopping or the time budget usually ends training first: show whichever is further along.
          const byEpoch = total ? Math.min(1, epoch / total) : 0;
          const byTime = maxMinutes ? Math.min(1, (performance.now() - t0) / 60_000 / maxMinutes) : 0;
          const percent = 10 + 80 * Math.max(byEpoch, byTime);
          void progress({
            stage: 'train',
            percent,
            epoch,
            epochs: total,
            metrics: { loss: e.loss, ...(e.metrics ? { validation: e.metrics } : {}) },
          });
          if (e.metrics) void job.log(`epoch ${epoch} loss ${String(e.loss)} validation ${JSON.stringify(e.metrics)}`);
        },
        abort.signal,
      );
      t('train', t0);
      for (const line of result.stderrTail.slice(-10)) await job.log(`trainer: ${line}`);
      if (result.reason === 'cancelled') throw new UnrecoverableError(`${CANCELLED_PREFIX} while training`);
      await stopIfCancelled('after training');
      if (result.reason === 'timeout') throw new UnrecoverableError(`trainer timed out after ${this.config.TRAINER_TIMEOUT_S}s`);
      if (result.code === 2) throw new UnrecoverableError(`trainer rejected its configuration: ${result.stderrTail.slice(-3).join(' | ')}`);
      if (result.code !== 0 || !result.done) {
        throw new UnrecoverableError(`trainer failed (exit ${result.code ?? result.signal}): ${result.stderrTail.slice(-3).join(' | ')}`);
      }

      const modelDir = join(runDir, 'model');
      const checksums = Object.fromEntries(Object.entries(result.artifacts).map(([name, a]) => [name, a.sha256]));
      await progress({ stage: 'index', percent: 90 });
      t0 = performance.now();
      begin('index');
      // Built once here and shipped with the artefacts, so a replica loads the indexes instead of building them.
      const indexes = await writeItemIndexes(modelDir, this.config.ANN_MIN_ITEMS).catch((err: Error) => {
        throw new UnrecoverableError(`the item indexes could not be built: ${err.message}`);
      });
      for (const name of indexes.files) checksums[name] = await sha256File(join(modelDir, name));
      t('index', t0);
      await job.log(
        indexes.files.length
          ? `item indexes over ${indexes.items} items: recommendations ${indexes.annBuildMs} ms, similar items ${indexes.similarBuildMs} ms` +
              `${indexes.leftOut.length ? `; over the size limit, built by each replica instead: ${indexes.leftOut.join(', ')}` : ''}`
          : `no item indexes: ${indexes.items} items, below ANN_MIN_ITEMS=${this.config.ANN_MIN_ITEMS}`,
      );
      await stopIfCancelled('while indexing');

      await progress({ stage: 'validate', percent: 92 });
      t0 = performance.now();
      begin('validate_register');
      const version = await this.registry.register({
        kind: job.data.model,
        artifactDir: modelDir,
        runId: id,
        snapshotStats: { ...snap.counts },
        hyperparameters: JSON.parse(readFileSync(join(modelDir, 'config.json'), 'utf8')) as Record<string, unknown>,
        checksums,
      });
      t('validate_register', t0);
      // The last point a cancel is honoured: the version stays a CANDIDATE, serving is untouched.
      await stopIfCancelled('before promotion');

      await progress({ stage: 'register', percent: 95 });
      t0 = performance.now();
      begin('promote');
      let promoted = false;
      if (this.config.TRAINING_AUTO_PROMOTE && (await this.registry.shouldPromote(version, this.config.TRAINING_PROMOTE_MIN_RATIO))) {
        await this.registry.promote(version.id);
        promoted = true;
      }
      t('promote', t0);
      await job.log(`registered ${version.id} (promoted: ${promoted}); timings ${JSON.stringify(timings)}`);
      // old run folders and snapshots go once a newer run has registered (never the active/previous model)
      await this.retention.run().catch((err: Error) => this.logger.warn(`retention failed: ${err.message}`));
      await progress({ stage: 'done', percent: 100 });
      return { versionId: version.id, promoted, metrics: version.metrics ?? {}, snapshot: { ...snap.counts }, timingsS: timings };
    } catch (err) {
      finish(stageSpan, err);
      this.logger.warn(`training run ${id} failed: ${(err as Error).message}`);
      if (err instanceof UnrecoverableError) throw err;
      // Any other failure (Neo4j down during export, a corrupt artefact, ...) is not retried either.
      throw new UnrecoverableError((err as Error).message);
    } finally {
      clearInterval(poll);
    }
  }
}
