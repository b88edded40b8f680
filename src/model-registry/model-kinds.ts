/**
 * Every model the trainer builds and serving accepts by name (the trainer's `--model` is the
 * lower-case kind). LightGCN and SocialGCN are the product's main models; DenoiseGCN is SocialGCN with a
 * learned gate that drops friend edges (its kept edges reach FRIEND edges like SocialGCN's attention filter);
 * the rest are the zoo (models/README.md): all export the same artefacts (ONNX fold-in encoder and scorer).
 */
export const MODEL_KINDS = ['LIGHTGCN', 'SOCIALGCN', 'DENOISEGCN', 'NGCF', 'GCN', 'GAT', 'GRAPHSAGE', 'PINSAGE'] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];

/** The kinds as an enum-like object, for GraphQL enums and class-validator. */
export const MODEL_KIND_ENUM = Object.fromEntries(MODEL_KINDS.map((k) => [k, k])) as { readonly [K in ModelKind]: K };

/** The trainer's `--model` value of a kind. */
export const trainerModelName = (kind: ModelKind): Lowercase<ModelKind> => kind.toLowerCase() as Lowercase<ModelKind>;
