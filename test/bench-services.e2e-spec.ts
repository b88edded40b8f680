/**
 * The benchmarks' services (bench/lib/services.ts) are stopped however a benchmark ends: a real Redis
 * started through BenchServices in a child process is gone after a signal, a failure or a plain exit.
 */
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { AddressInfo, connect, createServer } from 'node:net';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');

// The benchmark stand-in: starts Redis, says so, then ends as MODE says.
const BENCH = `
const { BenchServices } = require('./bench/lib/services');
const svc = new BenchServices((msg) => process.stderr.write(msg + '\\n'));
svc.start('redis', { REDIS_PORT: process.env.BENCH_TEST_PORT });
process.stdout.write('started\\n');
if (process.env.MODE === 'fail') throw new Error('forced failure');
if (process.env.MODE === 'wait') setInterval(() => undefined, 1000);
`;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  await new Promise((ok) => server.close(ok));
  return port;
}

const listening = (port: number) =>
  new Promise<boolean>((ok) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), ok(true)));
    socket.once('error', () => ok(false));
  });

/** Runs the stand-in; `then` acts once Redis is up. Resolves with how the process ended. */
function bench(port: number, mode: 'wait' | 'fail' | 'exit', then: (pid: number) => void = () => undefined) {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', BENCH], {
    cwd: ROOT,
    env: { ...process.env, TS_NODE_PROJECT: join(ROOT, 'tsconfig.json'), BENCH_TEST_PORT: String(port), MODE: mode },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  let started = false;
  child.stdout.on('data', (d) => {
    if (!started && String(d).includes('started')) {
      started = true;
      then(child.pid!);
    }
  });
  return new Promise<{ code: number | null; started: boolean; stderr: string }>((ok) =>
    child.on('exit', (code) => ok({ code, started, stderr })),
  );
}

describe('BenchServices stops the services a benchmark started', () => {
  const ports: number[] = [];
  const port = async () => {
    const p = await freePort();
    ports.push(p);
    return p;
  };
  afterAll(() => {
    for (const p of ports) rmSync(join(ROOT, '.services', `redis-${p}`), { recursive: true, force: true });
  });

  it('on SIGTERM while the benchmark runs', async () => {
    const p = await port();
    let upWhileRunning = false;
    const end = await bench(p, 'wait', (pid) => {
      void listening(p).then((up) => {
        upWhileRunning = up;
        process.kill(pid, 'SIGTERM');
      });
    });
    expect(end.started).toBe(true);
    expect(upWhileRunning).toBe(true);
    expect(end.code).toBe(143);
    expect(await listening(p)).toBe(false);
  });

  it('on SIGINT (Ctrl-C)', async () => {
    const p = await port();
    const end = await bench(p, 'wait', (pid) => process.kill(pid, 'SIGINT'));
    expect(end.code).toBe(130);
    expect(await listening(p)).toBe(false);
  });

  it('after a failure', async () => {
    const p = await port();
    const end = await bench(p, 'fail');
    expect(end.stderr).toContain('forced failure');
    expect(end.code).toBe(1);
    expect(await listening(p)).toBe(false);
  });

  it('when the benchmark ends without stopping them itself', async () => {
    const p = await port();
    const end = await bench(p, 'exit');
    expect(end).toMatchObject({ code: 0, started: true });
    expect(await listening(p)).toBe(false);
  });
});
