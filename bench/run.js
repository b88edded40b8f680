#!/usr/bin/env node
// `npm run bench -- <name>`: runs bench/<name>.ts (or .js / .py) and passes the remaining arguments.
// Each benchmark starts the services it needs and ends by printing one JSON line of figures.
const { spawn } = require('node:child_process');
const { constants } = require('node:os');
const { existsSync, readdirSync } = require('node:fs');
const { join } = require('node:path');

const [name, ...args] = process.argv.slice(2);
const dir = __dirname;
const names = [
  ...new Set(
    readdirSync(dir)
      .filter((f) => /\.(ts|js|py)$/.test(f) && !f.startsWith('run.') && !f.startsWith('lib'))
      .map((f) => f.replace(/\.(ts|js|py)$/, '')),
  ),
];
if (!name || !names.includes(name)) {
  console.error(`usage: npm run bench -- <name> [args]\nbenchmarks: ${names.sort().join(', ')}`);
  process.exit(2);
}
const root = join(dir, '..');
// Extra Node/V8 flags for a TypeScript benchmark, e.g. NODE_FLAGS=--trace-gc (A/B runs).
const V8_FLAGS = (process.env.NODE_FLAGS ?? '').split(' ').filter(Boolean);
let cmd;
let cmdArgs;
if (existsSync(join(dir, `${name}.ts`))) {
  cmd = process.execPath;
  cmdArgs = [...V8_FLAGS, '-r', 'ts-node/register/transpile-only', join(dir, `${name}.ts`), ...args];
} else if (existsSync(join(dir, `${name}.py`))) {
  cmd = process.env.TRAINER_PYTHON || join(root, 'models/.venv/bin/python');
  cmdArgs = [join(dir, `${name}.py`), ...args];
} else {
  cmd = process.execPath;
  cmdArgs = [join(dir, `${name}.js`), ...args];
}
const child = spawn(cmd, cmdArgs, { stdio: 'inherit', cwd: root, env: { ...process.env, TS_NODE_PROJECT: join(root, 'tsconfig.json') } });
// The benchmark stops its services on SIGINT/SIGTERM: wait for it rather than die first. Ctrl-C
// reaches it from the terminal as well; a signal sent to this process alone is passed on.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? 128 + (constants.signals[signal] ?? 0)));
