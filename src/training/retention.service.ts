import { Inject, Injectable, Logger } from '@nestjs/common';
import { existsSync } from 'node:fs';
import { readdir, rm, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { fromRoot } from '../common/repo-root';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config.schema';
import { InteractionsRepository } from '../ingestion/interactions.repository';
import { ModelRegistryRepository } from '../model-registry/model-registry.repository';
import { planRetention, RunFolder } from './retention';

const DAY_MS = 86_400_000;

export interface RetentionResult {
  runsDeleted: string[];
  snapshotsDeleted: string[];
  eventIdsDeleted: number;
}

/**
 * Deletes what is older than RETENTION_DAYS under TRAINER_RUNS_DIR (run folders with their
 * snapshots and artefacts; the active and previous versions keep their model/ and lose only their
 * snapshot/) and the event ids of exactly-once ingestion older than RETENTION_EVENT_DAYS. Runs
 * after every training run and as `npm run retention`.
 */
@Injectable()
export class RetentionService {
  private readonly logger = new Logger(RetentionService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly registry: ModelRegistryRepository,
    private readonly interactions: InteractionsRepository,
  ) {}

  async run(now = Date.now()): Promise<RetentionResult> {
    const root = fromRoot(this.config.TRAINER_RUNS_DIR);
    const active = await this.registry.active();
    const previous = await this.registry.previousActive(active?.id ?? null);
    const serving = [active, previous].filter((v) => !!v).map((v) => resolve(v!.artifactDir));
    const folders: RunFolder[] = [];
    if (existsSync(root)) {
      for (const e of await readdir(root, { withFileTypes: true })) {
        if (!e.isDirectory()) continue;
        const dir = join(root, e.name);
        // a version's artefacts live in <run>/model: the run serves when one of them is inside it
        const isServing = serving.some((a) => !relative(dir, a).startsWith('..'));
        folders.push({ name: e.name, mtimeMs: (await stat(dir)).mtimeMs, serving: isServing });
      }
    }
    const plan = planRetention(folders, now - this.config.RETENTION_DAYS * DAY_MS);
    for (const name of plan.runs) await rm(join(root, name), { recursive: true, force: true });
    for (const name of plan.snapshots) await rm(join(root, name, 'snapshot'), { recursive: true, force: true });
    const eventIdsDeleted = await this.interactions.pruneEvents(now - this.config.RETENTION_EVENT_DAYS * DAY_MS);
    const result = { runsDeleted: plan.runs, snapshotsDeleted: plan.snapshots, eventIdsDeleted };
    if (plan.runs.length || plan.snapshots.length || eventIdsDeleted)
      this.logger.log(
        `retention: ${plan.runs.length} run(s), ${plan.snapshots.length} snapshot(s), ${eventIdsDeleted} event id(s) deleted`,
      );
    return result;
  }
}
