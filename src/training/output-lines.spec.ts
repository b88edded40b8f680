import { LineSplitter, LineTail } from './output-lines';

describe('trainer output lines', () => {
  const split = (max: number, chunks: Array<string | Buffer>, end = true) => {
    const lines: string[] = [];
    const s = new LineSplitter(max, (l) => lines.push(l));
    for (const c of chunks) s.push(Buffer.isBuffer(c) ? c : Buffer.from(c));
    if (end) s.end();
    return lines;
  };

  it('splits lines across chunks, keeps empty lines and a last line without a newline, drops \\r', () => {
    expect(split(100, ['{"event":"sta', 'rted"}\n\nlog 1\r\nlog', ' 2'])).toEqual(['{"event":"started"}', '', 'log 1', 'log 2']);
    expect(split(100, ['a\n', 'b\n'])).toEqual(['a', 'b']);
  });

  it('cuts an over-long line at the cap and says how much was dropped, without buffering the rest', () => {
    const huge = 'x'.repeat(1_000_000);
    const lines = split(10, [huge.slice(0, 400_000), huge.slice(400_000), '\nnext\n']);
    expect(lines).toEqual([`${'x'.repeat(10)} [line cut: 999990 more bytes]`, 'next']);
  });

  it('keeps the last lines within a byte and a line bound', () => {
    const tail = new LineTail(20, 3);
    for (const l of ['aaaa', 'bbbb', 'cccc', 'dddd']) tail.push(l);
    expect(tail.lines).toEqual(['bbbb', 'cccc', 'dddd']); // the line bound
    tail.push('e'.repeat(15));
    expect(tail.lines).toEqual(['dddd', 'e'.repeat(15)]); // the byte bound
    expect(tail.size).toBeLessThanOrEqual(20);
    tail.push('f'.repeat(50)); // longer than the whole tail: cut to fit
    expect(tail.lines).toEqual(['f'.repeat(20)]);
  });

  it('never holds more than the bounds whatever the trainer writes', () => {
    const tail = new LineTail(1_000, 50);
    const s = new LineSplitter(100, (l) => tail.push(l));
    for (let k = 0; k < 1_000; k++) s.push(Buffer.from(`${'y'.repeat(k * 7)}\n`));
    s.end();
    expect(tail.size).toBeLessThanOrEqual(1_000);
    expect(tail.lines.length).toBeLessThanOrEqual(50);
    expect(tail.lines.at(-1)).toMatch(/^y{100} \[line cut: 6893 more bytes\]$/);
  });
});
