import { Construct } from 'constructs';

/**
 * Reads the context values a student sets on the command line (`npx cdk deploy LambdaUsersLab -c key=value`)
 * or in cdk.json. The CLI passes `-c` values as strings, so numbers are parsed here, with a clear error. It remembers
 * each key it was asked for, so that a key no lab reads (a typo) can fail the synth instead of being ignored.
 */
export class LabContext {
  private readonly keysRead = new Set<string>();

  constructor(private readonly scope: Construct) {}

  /** The value as given, for a check of its own. */
  public raw(key: string): unknown {
    this.keysRead.add(key);
    return this.scope.node.tryGetContext(key);
  }

  public string(key: string): string | undefined {
    const value = this.raw(key);
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string' || value.trim() === '') {
      throw new Error(`Context value ${key} must be a non-empty string, got ${JSON.stringify(value)}`);
    }
    return value.trim();
  }

  public number(key: string): number | undefined {
    const value = this.raw(key);
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
    const value = this.raw(key);
    if (value === undefined || value === null) return undefined;
    if (value === true || value === 'true') return true;
    if (value === false || value === 'false') return false;
    throw new Error(`Context value ${key} must be true or false, got ${JSON.stringify(value)}`);
  }

  /**
   * Throws when the context holds a key that nothing read, naming the nearest key that was read: `-c studnet=alice`
   * or `-c instanceTyp=t3.small` would otherwise be ignored without a word. Feature flags (`@aws-cdk/...`) and the
   * keys of the CDK itself and of its lookups (`aws:cdk:...`, `availability-zones:account=...`) are not checked.
   */
  public checkAllRead(): void {
    const unread = Object.keys(this.scope.node.getAllContext())
      .filter((key) => !this.keysRead.has(key) && !isCdkKey(key));
    if (unread.length === 0) return;
    const known = [...this.keysRead].sort();
    throw new Error(unread.map((key) => {
      const nearest = nearestKey(key, known);
      return `Unknown context key ${JSON.stringify(key)}: no lab reads it.`
        + `${nearest ? ` Did you mean ${JSON.stringify(nearest)}?` : ''}`;
    }).join(' ') + ` The labs read: ${known.join(', ')}.`);
  }
}

/** Keys of the CDK and its CLI: feature flags have a slash, the CLI's settings and lookup caches a colon. */
function isCdkKey(key: string): boolean {
  return key.includes('/') || key.includes(':') || key === 'acknowledged-issue-numbers';
}

/** The known key closest in spelling, if it is close enough to be a typo: a third of its length or 2 edits. */
function nearestKey(key: string, known: string[]): string | undefined {
  const scored = known
    .map((candidate) => ({ candidate, distance: editDistance(key.toLowerCase(), candidate.toLowerCase()) }))
    .sort((a, b) => a.distance - b.distance);
  const best = scored[0];
  return best && best.distance <= Math.max(2, Math.floor(best.candidate.length / 3)) ? best.candidate : undefined;
}

/** Levenshtein distance: insertions, deletions and substitutions. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}
