/** What retention removes from the runs folder (pure: the service lists the folder and applies it). */
export interface RunFolder {
  /** the run folder's name (the job id) */
  name: string;
  /** its last modification, epoch ms */
  mtimeMs: number;
  /** whether it holds the artefacts of the active or the previous (rollback) version */
  serving: boolean;
}

export interface RetentionPlan {
  /** run folders deleted whole */
  runs: string[];
  /** run folders whose snapshot/ alone is deleted (their model/ still serves or is the rollback target) */
  snapshots: string[];
}

/**
 * Runs older than the cutoff go whole (snapshot, trainer output, artefacts of retired versions),
 * except those of the active and the previous version, which lose their snapshot only.
 */
export function planRetention(runs: RunFolder[], cutoffMs: number): RetentionPlan {
  const old = runs.filter((r) => r.mtimeMs < cutoffMs);
  return {
    runs: old.filter((r) => !r.serving).map((r) => r.name),
    snapshots: old.filter((r) => r.serving).map((r) => r.name),
  };
}
