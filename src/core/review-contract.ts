import type { TerraformResource } from 'cdktf';

// What the constructs write into the synthesized configuration for the review (src/review) to read
// back: one definition for both sides, so that neither parses a format the other only writes.

/**
 * Records the constructs keep on a resource under Terraform's JSON comment key `//`, which Terraform
 * ignores: how an app's permissions deviate from Kindo's guide, and what an adoption takes over.
 */
export const RECORDS = {
  deviations: 'kindo_permission_deviations',
  adoption: 'kindo_adoption',
} as const;

/** Keeps `value` on `resource` for the review, under {@link RECORDS}' `key`. */
export function writeRecord(resource: TerraformResource, key: keyof typeof RECORDS, value: unknown): void {
  resource.addOverride(`//.${RECORDS[key]}`, value);
}

/** A record {@link writeRecord} kept on a synthesized block, if any. */
export function readRecord<T>(block: Record<string, any>, key: keyof typeof RECORDS): T | undefined {
  return block['//']?.[RECORDS[key]];
}

/** How notes name the integration an app or service principal serves; the guide's "keep a record of which Kindo integration uses each app registration". */
export const integrationNotes = (id: string, displayName: string): string =>
  `Kindo integration '${id}' (${displayName})`;

const NOTES = /^Kindo integration '([^']+)'/;

/** The integration id notes written with {@link integrationNotes} start with. */
export function integrationFromNotes(notes: unknown): string | undefined {
  return typeof notes === 'string' ? NOTES.exec(notes)?.[1] : undefined;
}

/** Prefix of the service principal tag naming the integration it serves, e.g. `kindo-integration:teams`. */
export const INTEGRATION_TAG_PREFIX = 'kindo-integration:';

/** The tag naming the integration a service principal serves. */
export const integrationTag = (id: string): string => `${INTEGRATION_TAG_PREFIX}${id}`;

/** The integration id of the first {@link integrationTag} among `tags`. */
export function integrationFromTags(tags: unknown): string | undefined {
  if (!Array.isArray(tags)) return undefined;
  const tag = tags.find((t): t is string => typeof t === 'string' && t.startsWith(INTEGRATION_TAG_PREFIX));
  return tag?.slice(INTEGRATION_TAG_PREFIX.length);
}
