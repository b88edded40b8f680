import { DynamicModule, Module } from '@nestjs/common';
import { CypherKey } from './cypher-keys';
import { CypherRegistry } from './cypher-registry';

const FEATURE_KEYS = 'CYPHER_FEATURE_KEYS';

/**
 * A domain's Cypher keys: `imports: [CypherModule.forFeature(X_CYPHER)]` registers them with the one
 * registry when the app is built; GraphModule checks keys against files once every domain has.
 */
@Module({})
export class CypherModule {
  static forFeature(keys: readonly CypherKey[]): DynamicModule {
    return {
      module: CypherModule,
      providers: [
        { provide: FEATURE_KEYS, useValue: keys },
        {
          provide: CypherModule.name,
          useFactory: (registry: CypherRegistry, own: readonly CypherKey[]) => registry.register(own),
          inject: [CypherRegistry, FEATURE_KEYS],
        },
      ],
    };
  }
}
