import { runInRequest } from './request-context';
import { REQUEST_ID_ATTRIBUTE, Tracing } from './tracing';

// Spans here are never ended, so nothing is exported (the endpoint is never contacted).
const tracing = (sampleRatio: number) => new Tracing({ endpoint: 'http://127.0.0.1:9', serviceName: 't', version: '0', sampleRatio });

describe('Tracing', () => {
  it('is off without an endpoint', () => {
    const off = new Tracing({ serviceName: 't', version: '0' });
    expect(off.enabled).toBe(false);
    expect(off.start('x')).toBeNull();
  });

  it("parents spans on the request's span and stamps the request id", () => {
    const t = tracing(1);
    runInRequest({ requestId: 'req-9' }, () => {
      const root = t.start('query recommendations')!;
      expect(root.isRecording()).toBe(true);
      const child = t.start('neo4j users/read', {}, root)!;
      expect(child.spanContext().traceId).toBe(root.spanContext().traceId);
      expect((child as unknown as { parentSpanContext?: { spanId: string } }).parentSpanContext?.spanId).toBe(root.spanContext().spanId);
      expect((child as unknown as { attributes: Record<string, unknown> }).attributes[REQUEST_ID_ATTRIBUTE]).toBe('req-9');
    });
  });

  it('keeps or drops a whole request by the sample ratio: children of an unsampled root record nothing', () => {
    const t = tracing(0);
    const root = t.start('query recommendations')!;
    expect(root.isRecording()).toBe(false);
    const child = t.start('neo4j users/read', {}, root)!;
    expect(child.isRecording()).toBe(false);
    expect(child.spanContext().traceId).toBe(root.spanContext().traceId);
  });
});
