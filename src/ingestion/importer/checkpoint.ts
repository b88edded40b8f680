import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ImportPhase } from './import.repository';

export const PHASES: readonly ImportPhase[] = ['users', 'items', 'interactions', 'friendships'];

export interface CheckpointState {
  /** Same import (folder, files, options, database) or not. */
  fingerprint: string;
  /** Batches committed per phase. */
  done: Record<ImportPhase, number>;
  updatedAt: string;
}

/** Size and mtime of every file in the folder (recursively one level), so edited files restart the import. */
function folderStamp(folder: string): string {
  const parts: string[] = [];
  const visit = (dir: string, rel: string, depth: number) => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      const st = statSync(p);
      if (st.isDirectory()) {
        if (depth < 1) visit(p, `${rel}${name}/`, depth + 1);
      } else parts.push(`${rel}${name}:${st.size}:${st.mtimeMs}`);
    }
  };
  visit(folder, '', 0);
  return parts.join('|');
}

/**
 * A progress file under var/import/: how many batches of each phase are committed (the unbroken run
 * from the first; with batches in flight, later ones may be committed too). Written as that run grows
 * (atomically, by rename); removed when the import finishes. A batch replayed after a crash between its
 * commit and the checkpoint write is harmless (MERGE-based).
 */
export class Checkpoint {
  readonly path: string;
  readonly fingerprint: string;
  private state: CheckpointState;

  /** `stamp` identifies the input's content (default: size and mtime of every file in `folder`). */
  constructor(dir: string, key: Record<string, unknown>, folder: string, stamp?: string) {
    this.fingerprint = createHash('sha256')
      .update(JSON.stringify(key))
      .update(stamp ?? folderStamp(folder))
      .digest('hex')
      .slice(0, 16);
    mkdirSync(dir, { recursive: true });
    this.path = join(dir, `${String(key.dataset)}-${this.fingerprint}.json`);
    this.state = {
      fingerprint: this.fingerprint,
      done: { users: 0, items: 0, interactions: 0, friendships: 0 },
      updatedAt: new Date().toISOString(),
    };
    try {
      const saved = JSON.parse(readFileSync(this.path, 'utf8')) as CheckpointState;
      if (saved.fingerprint === this.fingerprint) this.state = saved;
    } catch {
      /* no checkpoint: start from the beginning */
    }
  }

  done(phase: ImportPhase): number {
    return this.state.done[phase] ?? 0;
  }

  /** True when some batches were already committed by an earlier, interrupted run. */
  get resumed(): boolean {
    return PHASES.some((p) => this.done(p) > 0);
  }

  commit(phase: ImportPhase, batches: number): void {
    if (batches === 1 && PHASES.every((p) => p === phase || this.done(p) === 0)) rmSync(this.donePath, { force: true });
    this.state.done[phase] = batches;
    this.state.updatedAt = new Date().toISOString();
    const tmp = `${this.path}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.state));
    renameSync(tmp, this.path);
  }

  /** The import completed: drop the progress file, remember the counts it left. */
  finish(counts: object): void {
    rmSync(this.path, { force: true });
    writeFileSync(this.donePath, JSON.stringify({ fingerprint: this.fingerprint, counts, at: new Date().toISOString() }));
  }

  /** True when this same import completed before and left exactly these counts. */
  completedWith(counts: object): boolean {
    try {
      const done = JSON.parse(readFileSync(this.donePath, 'utf8')) as { fingerprint: string; counts: object };
      return done.fingerprint === this.fingerprint && JSON.stringify(done.counts) === JSON.stringify(counts);
    } catch {
      return false;
    }
  }

  private get donePath(): string {
    return this.path.replace(/\.json$/, '.done.json');
  }
}
