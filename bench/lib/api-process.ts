/**
 * The API as a child process of a benchmark, as production runs it (compiled: apiEntry), and what
 * the benchmarks read about it and about the graph it serves.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import neo4j, { Driver } from 'neo4j-driver';
import { freePort } from '../../test/support/processes';
import { apiEntry, ROOT } from './services';

export interface ApiProcess {
  url: string;
  child: ChildProcess;
  /** seconds from spawn until ready */
  readyS: number;
}

/**
 * Starts the API on a free loopback port with `env` over this process's environment, stdout and
 * stderr to `logFile`, and waits until `/health/ready` answers 200 and `ready` (given its body)
 * holds. Throws with the log's tail when the process exits first or `timeoutMs` passes.
 */
export async function startApi(opts: {
  name: string;
  logFile: string;
  env: Record<string, string>;
  log: (msg: string) => void;
  ready?: (body: string) => boolean;
  timeoutMs?: number;
}): Promise<ApiProcess> {
  const port = await freePort();
  const fd = openSync(opts.logFile, 'w');
  const t0 = performance.now();
  const child = spawn(process.execPath, apiEntry(opts.log), {
    cwd: ROOT,
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), ...opts.env },
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  const url = `http://127.0.0.1:${port}`;
  const timeoutMs = opts.timeoutMs ?? 180_000;
  for (const deadline = Date.now() + timeoutMs; ;) {
    if (child.exitCode !== null)
      throw new Error(`API (${opts.name}) exited ${child.exitCode}: ${readFileSync(opts.logFile, 'utf8').slice(-2_000)}`);
    const body = await fetch(`${url}/health/ready`)
      .then((r) => (r.ok ? r.text() : null))
      .catch(() => null);
    if (body !== null && (!opts.ready || opts.ready(body))) break;
    if (Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error(`API (${opts.name}) not ready in ${timeoutMs / 1000} s`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return { url, child, readyS: +((performance.now() - t0) / 1000).toFixed(1) };
}

/** Resident memory of a process in MiB (Linux /proc), null when it is gone. */
export function processRssMiB(pid: number): number | null {
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return kb ? Math.round(Number(kb[1]) / 1024) : null;
  } catch {
    return null;
  }
}

/** CPU seconds (user + system) a process has used so far, from /proc; null when it is gone. */
export function processCpuS(pid: number): number | null {
  try {
    // the fields after the command name (which may hold spaces): utime and stime are the 12th and 13th
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/**
 * Waits until the processes together use under `maxCores` of CPU over two consecutive half-seconds (a
 * previous round's queued requests and collections finished), at most `limitS`; the seconds waited.
 */
export async function waitIdle(pids: number[], maxCores = 0.1, limitS = 90): Promise<number> {
  const t0 = performance.now();
  const cpu = () => pids.reduce((t, pid) => t + (processCpuS(pid) ?? 0), 0);
  let last = cpu();
  let quiet = 0;
  while (quiet < 2 && performance.now() - t0 < limitS * 1000) {
    await new Promise((r) => setTimeout(r, 500));
    const now = cpu();
    quiet = now - last < maxCores * 0.5 ? quiet + 1 : 0;
    last = now;
  }
  return +((performance.now() - t0) / 1000).toFixed(1);
}

/** Up to `n` random users under `prefix` that have interactions: the users a serving load asks for. */
export async function activeUserIds(driver: Driver, prefix: string, n = 400): Promise<string[]> {
  const { records } = await driver.executeQuery(
    'MATCH (u:User) WHERE u.id STARTS WITH $p AND EXISTS { (u)-[:INTERACTED]->() } RETURN u.id AS id ORDER BY rand() LIMIT $n',
    { p: prefix, n: neo4j.int(n) },
  );
  return records.map((r) => r.get('id') as string);
}
