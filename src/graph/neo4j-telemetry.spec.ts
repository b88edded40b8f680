import { Logger } from '@nestjs/common';
import { Neo4jError } from 'neo4j-driver';
import { AppConfig } from '../config/config.schema';
import { Telemetry } from '../observability/telemetry';
import { Neo4jTelemetry } from './neo4j-telemetry';

const telemetry = () => new Telemetry({ METRICS_ENABLED: true, LOG_LEVEL: 'warn', OTEL_SERVICE_NAME: 't' } as AppConfig);
const line = async (t: Telemetry, series: string) =>
  (await t.metrics!.text()).body
    .split('\n')
    .find((l) => l.startsWith(`${series} `))
    ?.split(' ')[1];

describe('Neo4jTelemetry', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('times units and statements, and counts Neo4j failures by the reason they map to', async () => {
    const t = telemetry();
    const n = new Neo4jTelemetry(t);
    const ok = n.begin('users/read', 'READ');
    expect(await ok.query('users/read', async () => 7)).toBe(7);
    ok.end();
    n.begin('users/read', 'READ').end(new Neo4jError('gone', 'ServiceUnavailable', '', ''));
    n.begin('items/write', 'WRITE').end(new Neo4jError('odd', 'Neo.ClientError.Statement.SyntaxError', '', ''));
    n.begin('items/write', 'WRITE').end(new Error('the caller threw'));
    const s = 'tastegraph_neo4j_session_duration_seconds_count';
    expect(await line(t, `${s}{query="users/read",mode="READ",outcome="ok"}`)).toBe('1');
    expect(await line(t, `${s}{query="users/read",mode="READ",outcome="error"}`)).toBe('1');
    expect(await line(t, `${s}{query="items/write",mode="WRITE",outcome="aborted"}`)).toBe('1');
    expect(await line(t, 'tastegraph_neo4j_query_duration_seconds_count{query="users/read"}')).toBe('1');
    expect(await line(t, 'tastegraph_neo4j_errors_total{query="users/read",reason="GRAPH_UNAVAILABLE"}')).toBe('1');
    expect(await line(t, 'tastegraph_neo4j_errors_total{query="items/write",reason="Neo.ClientError.Statement.SyntaxError"}')).toBe('1');
    // the caller's own error is not a Neo4j error
    expect((await t.metrics!.text()).body).not.toMatch(/neo4j_errors_total\{[^}]*reason="UNKNOWN"/);
  });

  it('passes straight through without telemetry (CLI tools)', async () => {
    const unit = new Neo4jTelemetry(undefined).begin('x', 'READ');
    expect(unit.span).toBeNull();
    expect(await unit.query('x', async () => 'v')).toBe('v');
    unit.end();
  });
});
