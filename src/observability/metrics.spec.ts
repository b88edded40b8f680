import { parse, OperationDefinitionNode } from 'graphql';
import { numericMetrics } from './flatten-metrics';
import { operationLabel, outcomeOf } from './graphql-observability.plugin';
import { Metrics } from './metrics';

const op = (q: string) => parse(q).definitions[0] as OperationDefinitionNode;

/** value of one sample line in the exposition text */
const value = (text: string, series: string): number | undefined => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

describe('Metrics', () => {
  it('keeps one registry per instance: two apps in one process never share counts', async () => {
    const a = new Metrics({ defaultMetrics: false });
    const b = new Metrics({ defaultMetrics: false });
    a.graphqlDuration.observe({ operation: 'recommendations', type: 'query', outcome: 'OK' }, 0.003);
    a.graphqlDuration.observe({ operation: 'recommendations', type: 'query', outcome: 'OK' }, 0.02);
    const text = (await a.text()).body;
    const labels = '{operation="recommendations",type="query",outcome="OK"}';
    expect(value(text, `tastegraph_graphql_request_duration_seconds_count${labels}`)).toBe(2);
    expect(value(text, `tastegraph_graphql_request_duration_seconds_sum${labels}`)).toBeCloseTo(0.023, 9);
    // cumulative buckets: 3 ms falls in le=0.005, 20 ms first in le=0.025
    expect(
      value(text, 'tastegraph_graphql_request_duration_seconds_bucket{le="0.005",operation="recommendations",type="query",outcome="OK"}'),
    ).toBe(1);
    expect(
      value(text, 'tastegraph_graphql_request_duration_seconds_bucket{le="0.025",operation="recommendations",type="query",outcome="OK"}'),
    ).toBe(2);
    expect((await b.text()).body).not.toContain('operation="recommendations"');
  });

  it('copies totals kept elsewhere at scrape time, and reads gauges then', async () => {
    const m = new Metrics({ defaultMetrics: false });
    let hits = 3;
    m.counterFrom({
      name: 'test_cache_requests_total',
      help: 'h',
      labelNames: ['result'] as const,
      read: () => [
        [{ result: 'hit' }, hits],
        [{ result: 'miss' }, 1],
      ],
    });
    let depth = 2;
    m.gauge({ name: 'test_depth', help: 'h', collect: (g) => g.set(depth) });
    let text = (await m.text()).body;
    expect(value(text, 'test_cache_requests_total{result="hit"}')).toBe(3);
    expect(value(text, 'test_depth')).toBe(2);
    hits = 10;
    depth = 0;
    text = (await m.text()).body;
    expect(value(text, 'test_cache_requests_total{result="hit"}')).toBe(10); // not 13: copied, not added
    expect(value(text, 'test_cache_requests_total{result="miss"}')).toBe(1);
    expect(value(text, 'test_depth')).toBe(0);
  });

  it('exposes the process metrics under the tastegraph_ prefix', async () => {
    const { body, contentType } = await new Metrics().text();
    expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(value(body, 'tastegraph_nodejs_heap_size_used_bytes')).toBeGreaterThan(1_000_000);
    expect(body).toContain('tastegraph_process_cpu_user_seconds_total');
    expect(body).toContain('tastegraph_nodejs_eventloop_lag_seconds');
  });
});

describe('GraphQL operation labels', () => {
  it('names an operation by its root fields (schema names, not aliases or operationName), sorted', () => {
    expect(operationLabel(op('query Mine { r: recommendations(userId: "u") { path } }'))).toBe('recommendations');
    expect(operationLabel(op('{ user(id: "u") { id } item(id: "i") { id } __typename }'))).toBe('item,user');
    expect(operationLabel(op('mutation { recordInteractions(events: []) { events } }'))).toBe('recordInteractions');
    expect(operationLabel(op('{ a { id } b { id } c { id } d { id } }'))).toBe('multiple');
    expect(operationLabel(op('{ __typename }'))).toBe('__typename');
    expect(operationLabel(op('{ ...F }'))).toBe('fragment');
  });

  it('takes the outcome from the first error code the client saw', () => {
    expect(outcomeOf(undefined)).toBe('OK');
    expect(outcomeOf([])).toBe('OK');
    expect(outcomeOf([{ extensions: { code: 'NOT_FOUND' } }, { extensions: { code: 'BAD_USER_INPUT' } }])).toBe('NOT_FOUND');
    expect(outcomeOf([{}])).toBe('INTERNAL_SERVER_ERROR');
  });
});

describe('numericMetrics', () => {
  it('flattens a version metrics object one level, numbers only', () => {
    expect(numericMetrics({ val: { 'recall@20': 0.25, curve: [1, 2], note: 'x' }, epochs: 12, best: NaN, deep: { a: { b: 1 } } })).toEqual([
      ['val.recall@20', 0.25],
      ['epochs', 12],
    ]);
    expect(numericMetrics(null)).toEqual([]);
  });
});
