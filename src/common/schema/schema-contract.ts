import { buildSchema, findBreakingChanges, findDangerousChanges, GraphQLSchema } from 'graphql';

/**
 * The schema contract: every breaking or dangerous change between the last released schema (the
 * baseline) and the current one must be announced in CHANGELOG.md's Unreleased section, word for
 * word as graphql-js describes it. Returns the descriptions that are not announced.
 */
export function unannouncedChanges(
  baselineSdl: string,
  currentSdl: string,
  changelog: string,
): { breaking: string[]; dangerous: string[] } {
  const [baseline, current] = [buildSchema(baselineSdl), buildSchema(currentSdl)];
  const unreleased = unreleasedSection(changelog);
  const missing = (changes: Array<{ description: string }>) =>
    changes.map((c) => c.description).filter((d) => !unreleased.includes(`- ${d}`));
  return { breaking: missing(findBreakingChanges(baseline, current)), dangerous: missing(findDangerousChanges(baseline, current)) };
}

/** The text of `### Unreleased` up to the next heading of the same or a higher level. */
export function unreleasedSection(changelog: string): string {
  const start = changelog.search(/^### Unreleased\s*$/m);
  if (start < 0) return '';
  const rest = changelog.slice(start + '### Unreleased'.length);
  const end = rest.search(/^#{1,3} /m);
  return end < 0 ? rest : rest.slice(0, end);
}

export const schemaOf = (sdl: string): GraphQLSchema => buildSchema(sdl);
