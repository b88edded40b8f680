import { ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { repoRoot } from '../../src/common/repo-root';

/** An app running as its own OS process (src/main.ts through ts-node), for drills across processes. */
export interface AppProcess {
  name: string;
  url: string;
  child: ChildProcess;
  /** the last 8 kB of its stdout and stderr */
  output: string;
  gql<T = any>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<{ data?: T; errors?: any[] }>;
}

export const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

/**
 * Starts `src/main.ts` in a child process on a free loopback port with `env` over this process's
 * environment, its own folder `<root>/<name>` (TMPDIR), and waits until /health/ready answers 200.
 */
export async function spawnApp(name: string, env: Record<string, string>, root: string, readyWithinMs = 90_000): Promise<AppProcess> {
  const port = await freePort();
  const own = join(root, name);
  mkdirSync(own, { recursive: true });
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
    cwd: repoRoot(),
    env: {
      ...process.env,
      TS_NODE_PROJECT: 'tsconfig.json',
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      TMPDIR: own,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = `http://127.0.0.1:${port}`;
  const proc: AppProcess = {
    name,
    url,
    child,
    output: '',
    async gql(query, variables = {}, headers = {}) {
      const res = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(10_000),
      });
      return (await res.json()) as { data?: any; errors?: any[] };
    },
  };
  const keep = (d: Buffer) => (proc.output = (proc.output + d.toString()).slice(-8_000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const deadline = Date.now() + readyWithinMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited ${child.exitCode}: ${proc.output}`);
    const ok = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(2_000) })
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) return proc;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${name} not ready in ${readyWithinMs} ms: ${proc.output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** SIGTERM, then SIGKILL after `graceMs` for the ones still running. */
export async function stopApps(apps: Array<AppProcess | undefined>, graceMs = 1_000): Promise<void> {
  const running = () => apps.filter((x): x is AppProcess => !!x && x.child.exitCode === null && x.child.signalCode === null);
  for (const x of running()) x.child.kill('SIGTERM');
  const deadline = Date.now() + graceMs;
  while (running().length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  for (const x of running()) x.child.kill('SIGKILL');
}
