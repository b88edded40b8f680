import { TrainingTimingsType } from './training-run.type';

/** The processor's timings (seconds by stage name) in the schema's shape; null stays null. */
export function trainingTimings(all: Record<string, number> | null | undefined): TrainingTimingsType | null {
  if (!all) return null;
  const s = (k: string) => (typeof all[k] === 'number' ? all[k] : null);
  return {
    overlap: s('overlap'),
    export: s('export'),
    train: s('train'),
    index: s('index'),
    validateRegister: s('validate_register'),
    promote: s('promote'),
    all,
  };
}
