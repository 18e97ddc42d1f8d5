import { Construct } from 'constructs';

/**
 * Reads the context values a student sets on the command line (`npx cdk deploy LambdaUsersLab -c key=value`)
 * or in cdk.json. The CLI passes `-c` values as strings, so numbers are parsed here, with a clear error.
 */
export class LabContext {
  constructor(private readonly scope: Construct) {}

  public string(key: string): string | undefined {
    const value = this.scope.node.tryGetContext(key);
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string' || value.trim() === '') {
      throw new Error(`Context value ${key} must be a non-empty string, got ${JSON.stringify(value)}`);
    }
    return value.trim();
  }

  public number(key: string): number | undefined {
    const value = this.scope.node.tryGetContext(key);
    if (value === undefined || value === null) return undefined;
    const parsed = typeof value === 'number'
      ? value
      : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
    if (!Number.isFinite(parsed)) {
      throw new Error(`Context value ${key} must be a number, got ${JSON.stringify(value)}`);
    }
    return parsed;
  }

  public boolean(key: string): boolean | undefined {
    const value = this.scope.node.tryGetContext(key);
    if (value === undefined || value === null) return undefined;
    if (value === true || value === 'true') return true;
    if (value === false || value === 'false') return false;
    throw new Error(`Context value ${key} must be true or false, got ${JSON.stringify(value)}`);
  }
}
