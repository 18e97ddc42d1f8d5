import * as fs from 'fs';
import * as path from 'path';

/** The context of the project's cdk.json (its feature flags), for apps built outside the CDK CLI: tests and tools. */
export function cdkJsonContext(): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'cdk.json'), 'utf-8')).context;
}
