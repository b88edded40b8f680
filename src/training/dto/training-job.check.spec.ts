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

  it('takes the DenoiseGCN parameters for DENOISEGCN only, each within its range', () => {
    const fields = (m: unknown, p: unknown) => trainingJobProblems(m, p).map((d) => `${d.field}: ${d.message}`);
    expect(fields('DENOISEGCN', { edgeL0: 0.01, edgeGateInit: -2.3 })).toEqual([]);
    expect(fields('DENOISEGCN', { edgeL0: 0, edgeGateInit: 20 })).toEqual([]);
    expect(fields('DENOISEGCN', { edgeL0: 1, edgeGateInit: -20 })).toEqual([]);
    expect(fields('DENOISEGCN', { edgeL0: -0.001 })).toEqual(['params.edgeL0: edgeL0 must not be less than 0']);
    expect(fields('DENOISEGCN', { edgeL0: 1.5 })).toEqual(['params.edgeL0: edgeL0 must not be greater than 1']);
    expect(fields('DENOISEGCN', { edgeGateInit: -20.5 })).toEqual(['params.edgeGateInit: edgeGateInit must not be less than -20']);
    expect(fields('DENOISEGCN', { edgeGateInit: 21 })).toEqual(['params.edgeGateInit: edgeGateInit must not be greater than 20']);
    expect(fields('DENOISEGCN', { edgeL0: '0.1' })).toContain(
      'params.edgeL0: edgeL0 must be a number conforming to the specified constraints',
    );
    expect(fields('SOCIALGCN', { edgeL0: 0.01, edgeGateInit: 1 })).toEqual([
      'params.edgeL0: only for model DENOISEGCN',
      'params.edgeGateInit: only for model DENOISEGCN',
    ]);
    expect(fields('LIGHTGCN', { edgeL0: null })).toEqual([]);
  });
});
