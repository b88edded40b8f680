import type { ReasonTable } from '../common/errors/reasons';

export const MODEL_REGISTRY_REASONS = {
  MODEL_VERSION_NOT_FOUND: { category: 'NOT_FOUND', when: 'promoteModelVersion: no version has the id.' },
  NO_PREVIOUS_VERSION: { category: 'CONFLICT', when: 'rollbackModel: no version was active before the current one.' },
  BAD_ARTIFACT: {
    category: 'CONFLICT',
    when: "A version's artefacts are missing, have no recorded checksum, fail it, or are malformed (.npy, index files).",
  },
  ARTIFACT_UNAVAILABLE: {
    category: 'CONFLICT',
    when: "A version's artefact is neither in its run folder nor in the registry database (model_artifacts): the version cannot be loaded on this replica, so it is not promoted.",
  },
  REGISTRY_UNAVAILABLE: {
    category: 'UNAVAILABLE',
    when: 'The model registry database (PostgreSQL or SQLite) cannot be reached or used now (down, restarting, disk full, locked); nothing was changed, the active version keeps serving; try again.',
  },
} as const satisfies ReasonTable;

type ModelRegistryReasonTable = typeof MODEL_REGISTRY_REASONS;
declare module '../common/errors/reasons' {
  interface KnownReasons extends ModelRegistryReasonTable {}
}
