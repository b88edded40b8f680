import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Dataset, DatasetName, Problems } from '../dataset';
import { ciaoFormat } from './ciao';
import { DatasetFormat } from './dataset-format';
import { gowallaFormat } from './gowalla';
import { hetrecFormat } from './hetrec';
import { lastfmFormat } from './lastfm';
import { syntheticFormat } from './synthetic';

/**
 * Every format the importer reads, in detection order: the first whose markers are all present
 * wins, so a format whose markers include another's (lastfm ⊃ ciao) comes first.
 */
export const DATASET_FORMATS: readonly DatasetFormat[] = [lastfmFormat, ciaoFormat, gowallaFormat, hetrecFormat, syntheticFormat];

export function datasetFormat(name: DatasetName): DatasetFormat {
  const format = DATASET_FORMATS.find((f) => f.name === name);
  if (!format) throw new Error(`unknown dataset format ${JSON.stringify(name)}`);
  return format;
}

/** The event type each dataset's interactions get (all in the default INGEST_EVENT_WEIGHTS). */
export const DATASET_EVENT_TYPE = Object.fromEntries(DATASET_FORMATS.map((f) => [f.name, f.eventType])) as Record<DatasetName, string>;

/** The marker files of `format` that `folder` lacks ([] when it is of that format). */
export const missingMarkers = (format: DatasetFormat, folder: string): string[] =>
  format.markers.filter((f) => !existsSync(join(folder, f)));

/** The format of a dataset folder, from the files it holds; `expected` (from --dataset) must match. */
export function detectFormat(folder: string, expected?: DatasetName): DatasetName {
  if (!existsSync(folder)) throw new Error(`dataset folder ${folder} does not exist`);
  if (expected) {
    const missing = missingMarkers(datasetFormat(expected), folder);
    if (missing.length) throw new Error(`${folder} is not a ${expected} dataset folder: missing ${missing.join(', ')}`);
    return expected;
  }
  const found = DATASET_FORMATS.find((f) => missingMarkers(f, folder).length === 0);
  if (found) return found.name;
  // A manifest names the format: say which of its files are missing rather than listing every format.
  const named = DATASET_FORMATS.find((f) => f.manifest !== undefined && existsSync(join(folder, f.manifest)));
  if (named) {
    throw new Error(
      `${folder} has ${named.manifest} but is not a complete ${named.name} dataset folder: missing ${missingMarkers(named, folder).join(', ')}`,
    );
  }
  throw new Error(
    `cannot tell the dataset format of ${folder}: expected the files of one of ${DATASET_FORMATS.map((f) => `${f.name} (${f.markers.join(', ')})`).join('; ')}`,
  );
}

/**
 * Reads and validates a whole dataset folder before anything is written: every bad line is
 * collected (the first 50 are shown) and any problem throws DatasetInvalidError.
 */
export function parseDataset(folder: string, name: DatasetName): Dataset {
  const problems = new Problems();
  const ds = datasetFormat(name).read(folder, problems);
  problems.throwIfAny();
  return ds;
}
