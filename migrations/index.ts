import { CreateModelVersions1764219600000 } from './1764219600000-create-model-versions';
import { ModelVersionsPostgresDefaults1795768800000 } from './1795768800000-model-versions-postgres-defaults';
import { CreateModelArtifacts1796403600000 } from './1796403600000-create-model-artifacts';
import { CreateModelSliceChoices1796490000000 } from './1796490000000-create-model-slice-choices';
import { ModelArtifactChunks1796580000000 } from './1796580000000-model-artifact-chunks';

/** Every migration, oldest first. Migrations are never edited once merged: add a new one. */
export const MIGRATIONS = [
  CreateModelVersions1764219600000,
  ModelVersionsPostgresDefaults1795768800000,
  CreateModelArtifacts1796403600000,
  CreateModelSliceChoices1796490000000,
  ModelArtifactChunks1796580000000,
];
