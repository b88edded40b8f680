import { performance } from 'node:perf_hooks';
import { ServingProfile } from './serving-profile';

describe('ServingProfile', () => {
  afterEach(() => jest.restoreAllMocks());

  it("a request's clock records each lap since the previous one, and the whole request as total", () => {
    const times = [10, 13, 20, 21];
    jest.spyOn(performance, 'now').mockImplementation(() => times.shift()!);
    const profile = new ServingProfile();
    const clock = profile.clock();
    clock.lap('model');
    clock.lap('catalogue');
    clock.total();
    expect(profile.summary()).toEqual({
      model: { count: 1, p50: 3, p99: 3 },
      catalogue: { count: 1, p50: 7, p99: 7 },
      total: { count: 1, p50: 11, p99: 11 },
    });
  });

  it('median and p99 over the samples; counters', () => {
    const profile = new ServingProfile();
    for (let ms = 1; ms <= 100; ms++) profile.record('onnx', ms);
    profile.count('ranking-cached');
    profile.count('ranking-cached');
    expect(profile.summary().onnx).toEqual({ count: 100, p50: 50, p99: 99 });
    expect(profile.counters()).toEqual({ 'ranking-cached': 2 });
  });
});
