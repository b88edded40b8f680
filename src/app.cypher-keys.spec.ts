import { DynamicModule, Type } from '@nestjs/common';
import { APP_CYPHER_KEYS } from './app.cypher-keys';
import { AppModule } from './app.module';
import { AppConfig } from './config/config.schema';
import { CypherModule } from './graph/cypher.module';

type Import = Type<unknown> | DynamicModule | Promise<DynamicModule> | undefined;

/** The keys every CypherModule.forFeature among the app's modules registers. */
function registeredKeys(root: Import, seen = new Set<unknown>()): string[] {
  if (!root || root instanceof Promise || seen.has(root)) return [];
  seen.add(root);
  const dynamic = 'module' in root ? (root as DynamicModule) : null;
  const cls = dynamic ? dynamic.module : (root as Type<unknown>);
  const own =
    dynamic && cls === CypherModule
      ? ((dynamic.providers ?? []).find((p) => typeof p === 'object' && 'useValue' in p) as { useValue: string[] }).useValue
      : [];
  const imports: Import[] = [...((Reflect.getMetadata('imports', cls) as Import[]) ?? []), ...((dynamic?.imports as Import[]) ?? [])];
  return [...own, ...imports.flatMap((m) => registeredKeys(m, seen))];
}

describe('the app registers every domain’s Cypher keys', () => {
  it('the same keys, once each, as APP_CYPHER_KEYS (the CLIs’ list)', () => {
    for (const worker of [false, true]) {
      const keys = registeredKeys(AppModule.forRoot({ TRAINER_WORKER: worker } as AppConfig));
      expect(new Set(keys).size).toBe(keys.length);
      expect([...keys].sort()).toEqual([...APP_CYPHER_KEYS].sort());
    }
  });
});
