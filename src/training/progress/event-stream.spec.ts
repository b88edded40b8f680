import { EventStream } from './event-stream';

describe('EventStream', () => {
  it('delivers in order, to a waiting reader at once, then completes after end()', async () => {
    let closed = 0;
    const s = new EventStream<number>(10, () => closed++);
    const first = s.next();
    s.push(1);
    expect(await first).toEqual({ value: 1, done: false });
    s.push(2);
    s.push(3);
    s.end();
    s.push(4); // after the end: ignored
    expect(await s.next()).toEqual({ value: 2, done: false });
    expect(await s.next()).toEqual({ value: 3, done: false });
    expect(await s.next()).toEqual({ value: undefined, done: true });
    expect(closed).toBe(1);
  });

  it('keeps at most `max` waiting messages, dropping the oldest; the last one pushed always stays', async () => {
    const s = new EventStream<number>(3, () => undefined);
    for (let i = 1; i <= 10; i++) s.push(i);
    s.end();
    const got: number[] = [];
    for await (const v of s) got.push(v);
    expect(got).toEqual([8, 9, 10]);
    expect(s.dropped).toBe(7);
  });

  it('return() (the client left) stops at once and releases the producer', async () => {
    let closed = 0;
    const s = new EventStream<number>(10, () => closed++);
    s.push(1);
    const pending = s.next();
    await s.return();
    expect(await pending).toEqual({ value: 1, done: false });
    expect(await s.next()).toEqual({ value: undefined, done: true });
    expect(closed).toBe(1);
    const reader = new EventStream<number>(10, () => closed++);
    const waiting = reader.next();
    await reader.return();
    expect(await waiting).toEqual({ value: undefined, done: true });
  });
});
