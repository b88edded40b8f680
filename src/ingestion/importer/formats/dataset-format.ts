import { Dataset, DatasetName, Problems } from '../dataset';

/**
 * One dataset layout the bulk importer reads. Detection is by marker files, tried in registry
 * order; reading validates every line, reports each bad one to `problems` (the caller throws once
 * for all of them) and returns plain rows, ids namespaced as `<name>:u<raw id>` / `<name>:i<raw id>`.
 */
export interface DatasetFormat {
  readonly name: DatasetName;
  /** Files (relative to the folder) that must all exist for the folder to be of this format. */
  readonly markers: readonly string[];
  /** A file that names the format by itself: when it is there but other markers are not, detection lists what is missing. */
  readonly manifest?: string;
  /** The event type its interactions get (one of the default INGEST_EVENT_WEIGHTS). */
  readonly eventType: string;
  /** One line: where the files come from and what the graph gets from them. */
  readonly description: string;
  read(folder: string, problems: Problems): Dataset;
}
