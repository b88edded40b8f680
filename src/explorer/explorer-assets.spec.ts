import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listAssets } from './explorer-assets';

describe('listAssets', () => {
  it('lists the bundle by relative path with its content type; unknown extensions and missing folders give nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'explorer-assets-'));
    try {
      mkdirSync(join(dir, 'assets'));
      mkdirSync(join(dir, 'guide'));
      writeFileSync(join(dir, 'index.html'), '<!doctype html>');
      writeFileSync(join(dir, 'assets', 'index-abc.js'), '');
      writeFileSync(join(dir, 'guide', 'tastegraph.html'), '');
      writeFileSync(join(dir, 'assets', 'secret.env'), '');
      const assets = listAssets(dir);
      expect([...assets.keys()].sort()).toEqual(['assets/index-abc.js', 'guide/tastegraph.html', 'index.html']);
      expect(assets.get('assets/index-abc.js')!.type).toBe('text/javascript; charset=utf-8');
      expect(assets.get('index.html')!.path).toBe(join(dir, 'index.html'));
      expect(assets.get('../index.html')).toBeUndefined();
      expect(listAssets(join(dir, 'missing')).size).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
