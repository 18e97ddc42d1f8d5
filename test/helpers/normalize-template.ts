import { withoutAssetHashes } from '../../lib/review/asset-hashes';

/**
 * A template for a snapshot: asset hashes (which change with every bundler or dependency bump) become a
 * placeholder, so the snapshot diff shows infrastructure changes only.
 */
export const normalizeTemplate = (template: unknown): unknown => withoutAssetHashes(template);
