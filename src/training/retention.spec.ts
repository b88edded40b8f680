import { planRetention } from './retention';

describe('planRetention', () => {
  const cutoff = 1_000;
  it('deletes old runs whole, keeps young ones, and takes only the snapshot of an old run that still serves', () => {
    const plan = planRetention(
      [
        { name: 'old', mtimeMs: 10, serving: false },
        { name: 'old-active', mtimeMs: 20, serving: true },
        { name: 'young', mtimeMs: 2_000, serving: false },
        { name: 'young-active', mtimeMs: 3_000, serving: true },
      ],
      cutoff,
    );
    expect(plan).toEqual({ runs: ['old'], snapshots: ['old-active'] });
  });

  it('nothing to do on an empty runs folder', () => {
    expect(planRetention([], cutoff)).toEqual({ runs: [], snapshots: [] });
  });
});
