import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

let cached: string | undefined;

/** The repository root (the folder holding package.json), found from this file's location. */
export function repoRoot(): string {
  if (cached) return cached;
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'cypher'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`repository root not found above ${__dirname}`);
    dir = up;
  }
  cached = dir;
  return dir;
}

/** Resolves a configured path: absolute stays, relative is taken from the repository root. */
export const fromRoot = (p: string): string => resolve(repoRoot(), p);
