import { Global, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HEALTH_CYPHER } from '../health/health.cypher-keys';
import { MODEL_REGISTRY_CYPHER } from '../model-registry/model-registry.cypher-keys';
import { CypherModule } from './cypher.module';
import { CypherRegistry } from './cypher-registry';

describe('CypherModule.forFeature', () => {
  it('registers each importing domain’s keys with the one registry while the app is built', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cypher-'));
    for (const key of [...HEALTH_CYPHER, ...MODEL_REGISTRY_CYPHER]) {
      mkdirSync(join(dir, key, '..'), { recursive: true });
      writeFileSync(join(dir, `${key}.cypher`), 'RETURN 1');
    }
    const registry = new CypherRegistry(dir);

    @Global()
    @Module({ providers: [{ provide: CypherRegistry, useValue: registry }], exports: [CypherRegistry] })
    class Graph {}
    @Module({ imports: [CypherModule.forFeature(HEALTH_CYPHER)] })
    class Health {}
    @Module({ imports: [CypherModule.forFeature(MODEL_REGISTRY_CYPHER)] })
    class Registry {}
    @Module({ imports: [Graph, Health, Registry] })
    class Root {}

    expect(() => registry.verify()).toThrow(/files without a key/);
    const app = await NestFactory.createApplicationContext(Root, { logger: false });
    expect(() => registry.verify()).not.toThrow();
    await app.close();
  });
});
