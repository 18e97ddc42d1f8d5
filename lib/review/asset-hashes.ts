/** The 64-hex-digit hashes the CDK names assets by (S3 keys, image tags, asset paths). */
const ASSET_HASH = /[0-9a-f]{64}/g;

export const ASSET_HASH_PLACEHOLDER = '[ASSET-HASH]';

/**
 * A template with its asset hashes replaced by a placeholder: they change with every bundler, dependency or code
 * bump, so a diff (or a snapshot) of the result shows infrastructure changes only.
 */
export function withoutAssetHashes<T>(template: T): T {
  return JSON.parse(JSON.stringify(template).replace(ASSET_HASH, ASSET_HASH_PLACEHOLDER));
}
