// npm run mutate's own rules (scripts/mutate.js): which mutants an equivalents entry excuses, and how a folder's
// score is counted. Stryker's report is written here by hand, in the shape of its JSON report (schema 2).
const { score, selectMutate, summarize } = require('../../scripts/mutate.js');

const SOURCE = 'const limit = 1024;\nif (size > limit) throw new Error(\'too big\');\n';

type Status = 'Killed' | 'Survived' | 'NoCoverage' | 'Timeout' | 'CompileError' | 'Ignored';

/** A mutant of SOURCE: `original` is found on its line, and replaced. */
function mutant(status: Status, line: number, original: string, replacement: string, mutatorName = 'Any') {
  const column = SOURCE.split('\n')[line - 1].indexOf(original) + 1;
  if (column === 0) throw new Error(`"${original}" is not on line ${line}`);
  return {
    mutatorName, replacement, status,
    location: { start: { line, column }, end: { line, column: column + original.length } },
  };
}

const reportOf = (...mutants: ReturnType<typeof mutant>[]) => ({
  files: { 'lambda/users/limits.ts': { source: SOURCE, mutants } },
});

const excuse = (original: string, replacement: string, extra: Record<string, string> = {}) => ({
  file: 'lambda/users/limits.ts', mutator: 'Any', original, replacement, reason: 'no behaviour changes', ...extra,
});

const rowOf = (report: unknown, equivalents: unknown[] = []) => summarize(report, equivalents).rows[0];

describe('the score of a folder', () => {
  test('is killed and timed out over every mutant that ran or had no test, in percent', () => {
    expect(score({ killed: 6, timeout: 2, survived: 1, noCoverage: 1 })).toBe(80);
    expect(score({ killed: 0, timeout: 0, survived: 0, noCoverage: 0 })).toBeUndefined();
  });

  test('counts each status once, and leaves out errors and ignored mutants', () => {
    const row = rowOf(reportOf(
      mutant('Killed', 1, '1024', '0'), mutant('Survived', 2, 'size > limit', 'true'),
      mutant('NoCoverage', 2, "'too big'", '""'), mutant('Timeout', 2, 'size > limit', 'false'),
      mutant('CompileError', 1, 'limit', 'x'), mutant('Ignored', 2, 'limit', 'y'),
    ));
    expect(row).toEqual(expect.objectContaining({
      folder: 'lambda/users', killed: 1, survived: 1, noCoverage: 1, timeout: 1, errors: 1, equivalent: 0,
    }));
    expect(score(row)).toBe(50);
  });
});

describe('an equivalents entry', () => {
  const survivor = mutant('Survived', 2, 'size > limit', 'size >= limit');

  test('excuses the survivor with its file, mutator, original and replacement, whitespace aside', () => {
    const { rows, survivors, unused } = summarize(reportOf(survivor), [excuse('size  >  limit', 'size >= limit')]);
    expect(rows[0]).toEqual(expect.objectContaining({ survived: 0, equivalent: 1 }));
    expect(survivors).toEqual([]);
    expect(unused).toEqual([]);
  });

  test.each([
    ['another file', { file: 'lambda/users/other.ts' }],
    ['another mutator', { mutator: 'EqualityOperator' }],
    ['another original', { original: 'size < limit' }],
    ['another replacement', { replacement: 'size > limit' }],
    ['a context that is not on the mutated line', { context: 'throw new Error(\'too small\')' }],
  ])('excuses nothing with %s, and is reported as unused', (_case, change) => {
    const entry = { ...excuse('size > limit', 'size >= limit'), ...change };
    const { rows, survivors, unused } = summarize(reportOf(survivor), [entry]);
    expect(rows[0]).toEqual(expect.objectContaining({ survived: 1, equivalent: 0 }));
    expect(survivors).toHaveLength(1);
    expect(unused).toEqual([entry]);
  });

  test('with a context on the mutated line excuses it', () => {
    const entry = excuse('size > limit', 'size >= limit', { context: 'throw new Error' });
    expect(rowOf(reportOf(survivor), [entry])).toEqual(expect.objectContaining({ survived: 0, equivalent: 1 }));
  });

  test('excuses a mutant without coverage too, but never a killed one, which still counts as killed', () => {
    const entry = excuse('size > limit', 'size >= limit');
    const uncovered = mutant('NoCoverage', 2, 'size > limit', 'size >= limit');
    expect(rowOf(reportOf(uncovered), [entry])).toEqual(expect.objectContaining({ noCoverage: 0, equivalent: 1 }));
    const killed = mutant('Killed', 2, 'size > limit', 'size >= limit');
    const { rows, unused } = summarize(reportOf(killed), [entry]);
    expect(rows[0]).toEqual(expect.objectContaining({ killed: 1, equivalent: 0 }));
    expect(unused).toEqual([]);
  });

  test('of a folder the report does not hold is not reported as unused', () => {
    const elsewhere = { ...excuse('a', 'b'), file: 'lib/cost/prices.ts' };
    expect(summarize(reportOf(survivor), [elsewhere]).unused).toEqual([]);
  });
});

describe('the files a run mutates', () => {
  test('are the scope entries under the paths given, and the whole scope without a path', () => {
    const all = selectMutate([]);
    expect(all).toEqual(expect.arrayContaining(['lambda/users/handler.ts', 'lib/review/stack-review.ts']));
    expect(selectMutate(['lib/review'])).toEqual(['lib/review/stack-review.ts', 'lib/review/format-review.ts']);
    expect(selectMutate(['lib/review/format-review.ts'])).toEqual(['lib/review/format-review.ts']);
  });

  test('of lib/constructs are line ranges of validation, each in a file of the folder', () => {
    const ranges = selectMutate(['lib/constructs']);
    expect(ranges.length).toBeGreaterThan(0);
    for (const range of ranges) expect(range).toMatch(/^lib\/constructs\/[\w-]+\.ts:\d+-\d+$/);
  });
});
