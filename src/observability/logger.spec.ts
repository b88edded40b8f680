import { Writable } from 'node:stream';
import { createLogger, PinoNestLogger, resolveLogFormat } from './logger';
import { runInRequest } from './request-context';

const capture = () => {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString().split('\n')) if (l) lines.push(JSON.parse(l) as Record<string, unknown>);
      done();
    },
  });
  return { lines, destination };
};

describe('logging', () => {
  it('is pretty on a terminal and JSON otherwise, unless told', () => {
    expect(resolveLogFormat('auto', true)).toBe('pretty');
    expect(resolveLogFormat('auto', false)).toBe('json');
    expect(resolveLogFormat('json', true)).toBe('json');
    expect(resolveLogFormat('pretty', false)).toBe('pretty');
  });

  it("writes Nest's calls as JSON lines with level names, context, and the request id inside a request", async () => {
    const { lines, destination } = capture();
    const logger = new PinoNestLogger(createLogger({ level: 'log', format: 'json', destination }));
    logger.log('outside', 'Main');
    await runInRequest({ requestId: 'req-1' }, async () => {
      await Promise.resolve();
      logger.warn({ msg: 'structured', query: 'k' }, 'Neo4j');
      logger.error('failed', 'Error: failed\n    at x', 'Svc');
    });
    logger.debug('hidden below the level', 'Main');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatchObject({ level: 'info', msg: 'outside', context: 'Main' });
    expect(lines[0]).not.toHaveProperty('requestId');
    expect(lines[1]).toMatchObject({ level: 'warn', msg: 'structured', query: 'k', context: 'Neo4j', requestId: 'req-1' });
    expect(lines[2]).toMatchObject({ level: 'error', msg: 'failed', context: 'Svc', requestId: 'req-1', stack: 'Error: failed\n    at x' });
    expect(typeof lines[0].time).toBe('number');
  });

  it('follows the levels Nest sets', () => {
    const { lines, destination } = capture();
    const logger = new PinoNestLogger(createLogger({ level: 'log', format: 'json', destination }));
    logger.setLogLevels(['error', 'warn', 'log', 'debug']);
    logger.debug('now shown', 'Main');
    logger.setLogLevels(['error']);
    logger.warn('now hidden', 'Main');
    expect(lines.map((l) => l.msg)).toEqual(['now shown']);
  });
});
