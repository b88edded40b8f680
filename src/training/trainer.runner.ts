import { Inject, Injectable, Logger } from '@nestjs/common';
import { spawn } from 'node:child_process';
import { fromRoot } from '../common/repo-root';
import { APP_CONFIG } from '../config/config.module';
import { AppConfig } from '../config/config.schema';
import type { ModelKind } from '../model-registry/model-kinds';
import { LineSplitter, LineTail } from './output-lines';

export interface TrainerEvent {
  event: string;
  [key: string]: unknown;
}

export interface TrainerRun {
  model: Lowercase<ModelKind>;
  snapshotDir: string;
  outDir: string;
  /** Extra CLI flags, already validated (e.g. { epochs: 50, dim: 64 }). */
  params: Record<string, string | number | boolean>;
  /** Passed to the trainer as TASTEGRAPH_REQUEST_ID: it stamps its events and log lines with it. */
  requestId?: string;
}

export interface TrainerResult {
  /** The trainer's exit code (2 = bad configuration), or null when killed by a signal. */
  code: number | null;
  signal: NodeJS.Signals | null;
  reason: 'exited' | 'timeout' | 'cancelled';
  artifacts: Record<string, { sha256: string; path: string; bytes: number }>;
  done: TrainerEvent | null;
  /** The last stderr lines and stdout lines that were not events: at most STDERR_TAIL lines and TRAINER_OUTPUT_MAX_BYTES. */
  stderrTail: string[];
}

const STDERR_TAIL = 50;
const KILL_GRACE_MS = 5_000;

/** Validates one stdout line of the trainer: a JSON object with a string `event`. */
export function parseTrainerEvent(line: string): TrainerEvent | null {
  try {
    const v = JSON.parse(line) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v) && typeof (v as TrainerEvent).event === 'string') return v as TrainerEvent;
  } catch {
    /* not an event */
  }
  return null;
}

/** `--batch-size 2048` style flags from camelCase or snake_case keys. */
export function toFlags(params: TrainerRun['params']): string[] {
  return Object.entries(params).flatMap(([k, v]) => {
    const flag = `--${k
      .replace(/([a-z])([A-Z])/g, '$1-$2')
      .replace(/_/g, '-')
      .toLowerCase()}`;
    return typeof v === 'boolean' ? (v ? [flag] : []) : [flag, String(v)];
  });
}

/**
 * Runs the Python trainer as a child process: no shell, its own process group (so cancel and
 * timeout end the whole group), a minimal environment without any database credentials.
 */
@Injectable()
export class TrainerRunner {
  private readonly logger = new Logger(TrainerRunner.name);
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  run(run: TrainerRun, onEvent: (e: TrainerEvent) => void, signal?: AbortSignal): Promise<TrainerResult> {
    // Cancelled before it started: an abort listener added now would never fire, so the trainer is not started at all.
    if (signal?.aborted)
      return Promise.resolve({ code: null, signal: null, reason: 'cancelled', artifacts: {}, done: null, stderrTail: [] });
    const args = [
      '-m',
      'tastegraph_trainer',
      'train',
      '--model',
      run.model,
      '--snapshot',
      run.snapshotDir,
      '--out',
      run.outDir,
      '--device',
      this.config.TRAINER_DEVICE,
      ...toFlags(run.params),
    ];
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      LANG: 'C.UTF-8',
      PYTHONUNBUFFERED: '1',
      ...(run.requestId ? { TASTEGRAPH_REQUEST_ID: run.requestId } : {}),
      ...(process.env.CUDA_VISIBLE_DEVICES ? { CUDA_VISIBLE_DEVICES: process.env.CUDA_VISIBLE_DEVICES } : {}),
    };
    const child = spawn(fromRoot(this.config.TRAINER_PYTHON), args, {
      cwd: fromRoot('.'),
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      shell: false,
    });
    const artifacts: TrainerResult['artifacts'] = {};
    const tail = new LineTail(this.config.TRAINER_OUTPUT_MAX_BYTES, STDERR_TAIL);
    let done: TrainerEvent | null = null;
    let reason: TrainerResult['reason'] = 'exited';

    const killGroup = (why: TrainerResult['reason']) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      reason = why;
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        /* already gone */
      }
      setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }, KILL_GRACE_MS).unref();
    };
    const timer = setTimeout(() => killGroup('timeout'), this.config.TRAINER_TIMEOUT_S * 1000);
    const onAbort = () => killGroup('cancelled');
    signal?.addEventListener('abort', onAbort, { once: true });

    // Lines are cut at TRAINER_LINE_MAX_BYTES (an event cut short is no longer JSON: it is kept as output).
    const stdout = new LineSplitter(this.config.TRAINER_LINE_MAX_BYTES, (line) => {
      const e = parseTrainerEvent(line);
      if (!e) {
        tail.push(`(stdout) ${line}`);
        return;
      }
      if (e.event === 'artifact' && typeof e.name === 'string' && typeof e.sha256 === 'string') {
        artifacts[e.name] = { sha256: e.sha256, path: String(e.path), bytes: Number(e.bytes) };
      }
      if (e.event === 'done') done = e;
      onEvent(e);
    });
    // The trainer's log lines, at debug level (with the job's request id from the async context).
    const stderr = new LineSplitter(this.config.TRAINER_LINE_MAX_BYTES, (line) => {
      tail.push(line);
      this.logger.debug({ msg: line, stream: 'stderr' });
    });
    child.stdout!.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stdout!.on('end', () => stdout.end());
    child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.stderr!.on('end', () => stderr.end());

    return new Promise((resolve, reject) => {
      child.on('error', (err) => {
        clearTimeout(timer);
        reject(new Error(`trainer could not start (${this.config.TRAINER_PYTHON}): ${err.message}`));
      });
      child.on('close', (code, sig) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.logger.log(`trainer exited code=${code} signal=${sig} (${reason})`);
        resolve({ code, signal: sig, reason, artifacts, done, stderrTail: tail.lines });
      });
    });
  }
}
