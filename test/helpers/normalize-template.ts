/**
 * A template for a snapshot: asset hashes (which change with every bundler or dependency bump) become a
 * placeholder, so the snapshot diff shows infrastructure changes only.
 */
export function normalizeTemplate(template: unknown): unknown {
  return JSON.parse(JSON.stringify(template).replace(/[0-9a-f]{64}/g, '[ASSET-HASH]'));
}
