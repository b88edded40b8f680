import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import neo4j, { Driver } from 'neo4j-driver';
import { statementOf } from '../../../src/graph/cypher-registry';

const SNAPSHOT = statementOf(readFileSync(join(__dirname, 'graph-snapshot.cypher'), 'utf8'));

/** Neo4j values (integers, temporals) as plain JSON, with object keys and lists of edges sorted. */
function canonical(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (neo4j.isInt(v)) return v.toString();
  if (Array.isArray(v)) return v.map(canonical);
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (o.constructor !== Object) return String(v);
    return Object.fromEntries(
      Object.keys(o)
        .sort()
        .map((k) => [k, canonical(o[k])]),
    );
  }
  return v;
}

/**
 * The state a refused call must leave alone, as one string: node and relationship counts of the
 * whole database, and every node under the prefix with its labels, properties and edges.
 */
export async function graphSnapshot(driver: Driver, prefix: string, database = process.env.NEO4J_DATABASE ?? 'neo4j'): Promise<string> {
  const { records } = await driver.executeQuery(SNAPSHOT, { prefix }, { database, routing: neo4j.routing.READ });
  const r = records[0];
  const nodes = (r.get('prefixed') as Array<Record<string, unknown>>)
    .map((n) => {
      const edges = ((n.edges as unknown[]) ?? []).filter(Boolean).map((e) => JSON.stringify(canonical(e)));
      return JSON.stringify(canonical({ ...n, labels: [...(n.labels as string[])].sort(), edges: edges.sort() }));
    })
    .sort();
  return JSON.stringify({ nodes: String(r.get('nodes')), relationships: String(r.get('relationships')), prefixed: nodes });
}
