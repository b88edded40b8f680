import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { buildSchema, GraphQLInputObjectType } from 'graphql';
import { fromRoot } from '../src/common/repo-root';
import { toFlags } from '../src/training/trainer.runner';
import { trainingJobProblems } from '../src/training/dto/training-job.check';

/**
 * Every TrainingParamsInput field the worker passes on (all but idPrefix, which picks what is exported)
 * becomes a flag the real trainer accepts: its argparse and its TrainConfig validation read the flags
 * toFlags makes, at both ends of each documented range, into the same values.
 */
const LOW = { epochs: 1, dim: 8, layers: 1, lr: 1e-6, batchSize: 64, maxMinutes: 0.05, evalEvery: 1, patience: 1 };
const HIGH = { epochs: 5000, dim: 512, layers: 6, lr: 1, batchSize: 65536, maxMinutes: 600, evalEvery: 100, patience: 100 };
const CASES: Array<Record<string, string | number>> = [
  { ...LOW, negatives: 'uniform', refitEpochs: 0, seed: 0, friendMinOverlap: 0, attentionThreshold: 0, attentionTopk: 0 },
  { ...LOW, edgeL0: 0, edgeGateInit: -20 },
  { ...HIGH, negatives: 'hard', refitEpochs: 1000, seed: 2 ** 31 - 1, friendMinOverlap: 1, attentionThreshold: 1, attentionTopk: 1000 },
  { ...HIGH, edgeL0: 1, edgeGateInit: 20 },
];
const PARSE = `
import argparse, json, sys
from tastegraph_trainer.arguments import add_train_arguments, config_from_args
p = argparse.ArgumentParser()
add_train_arguments(p)
print(json.dumps(config_from_args(p.parse_args(sys.argv[1:])).to_dict(), default=str))
`;
const snake = (k: string) => k.replace(/([a-z])([A-Z0-9])/g, '$1_$2').toLowerCase();

describe('TrainingParamsInput to trainer flags', () => {
  const input = buildSchema(readFileSync(fromRoot('schema.gql'), 'utf8')).getType('TrainingParamsInput') as GraphQLInputObjectType;

  it('covers every field of TrainingParamsInput but idPrefix', () => {
    const covered = new Set(CASES.flatMap((c) => Object.keys(c)));
    expect(Object.keys(input.getFields()).filter((f) => f !== 'idPrefix' && !covered.has(f))).toEqual([]);
  });

  it.each(CASES.map((c, i) => [i, c] as const))('case %d: the trainer reads every flag into the same value', (_i, params) => {
    const model = 'edgeL0' in params ? 'denoisegcn' : 'socialgcn';
    expect(trainingJobProblems(model.toUpperCase(), params)).toEqual([]);
    const args = ['-c', PARSE, '--model', model, '--dataset', 'lastfm', '--out', 'var/unused', ...toFlags(params)];
    const config = JSON.parse(
      execFileSync(fromRoot('models/.venv/bin/python'), args, { cwd: fromRoot('models'), encoding: 'utf8' }),
    ) as Record<string, unknown>;
    for (const [k, v] of Object.entries(params)) expect({ [k]: config[snake(k)] }).toEqual({ [k]: v });
  });
});
