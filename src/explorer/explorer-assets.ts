import { existsSync, readdirSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
};

export interface Asset {
  path: string;
  type: string;
}

/**
 * The files of the explorer's bundle (dist/explorer, written by `npm run build`), listed once at start-up:
 * only a file in this list is ever served, by its path relative to the bundle (`assets/index-x.js`).
 * An unknown extension is not served. Empty when the bundle was not built.
 */
export function listAssets(dir: string): Map<string, Asset> {
  const out = new Map<string, Asset>();
  if (!existsSync(dir)) return out;
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (TYPES[extname(name)]) out.set(relative(dir, p).split(sep).join('/'), { path: p, type: TYPES[extname(name)] });
    }
  };
  walk(dir);
  return out;
}
