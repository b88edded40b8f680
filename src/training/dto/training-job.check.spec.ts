import { trainingJobProblems } from './training-job.check';

describe('trainingJobProblems (the mutation and the worker share it)', () => {
  it('accepts a run with no parameters and one with every parameter in range', () => {
    expect(trainingJobProblems('LIGHTGCN', {})).toEqual([]);
    expect(trainingJobProblems('SOCIALGCN', { epochs: 40, lr: 0.01, negatives: 'hard', idPrefix: 't-x-1:' })).toEqual([]);
  });

  it('refuses a tampered job: a string where a number belongs, out of range, unknown keys, an unknown model', () => {
    const fields = (m: unknown, p: unknown) => [...new Set(trainingJobProblems(m, p).map((d) => d.field))];
    expect(fields('LIGHTGCN', { epochs: '1; rm -rf /' })).toEqual(['params.epochs']);
    expect(fields('LIGHTGCN', { epochs: 999_999 })).toEqual(['params.epochs']);
    expect(fields('LIGHTGCN', { idPrefix: 'a b' })).toEqual(['params.idPrefix']);
    expect(fields('LIGHTGCN', { script: 'x' })).toEqual(['params.script']);
    expect(fields('lightgcn; rm', {})).toEqual(['model']);
    expect(fields('LIGHTGCN', null)).toEqual(['params']);
    expect(trainingJobProblems('LIGHTGCN', { epochs: '1; rm' }).map((d) => d.message)).toContain('epochs must be an integer number');
  });
});
