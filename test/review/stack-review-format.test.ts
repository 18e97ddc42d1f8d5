import { formatReview, formatReviewMarkdown } from '../../lib/review/format-review';
import type { Review } from '../../lib/review/run-review';
import type { StackReview } from '../../lib/review/stack-review';

// The review's two renderings on hand-made stack reviews (no synth, no diff).
const stack = (name: string, props: Partial<StackReview> = {}): StackReview => ({
  stack: name, status: 'changed', changes: '', assetOnly: [], lookTwice: [], hourlyCost: { before: 0, after: 0 },
  ...props,
});
const review = (stacks: StackReview[], dirty = false): Review => ({ base: 'abc1234', head: 'def5678', dirty, stacks });

const changed = stack('Changed', {
  changes: 'Resources\n[~] AWS::DynamoDB::Table Users',
  assetOnly: ['FnA', 'FnB'],
  lookTwice: [
    'AWS::DynamoDB::Table Users will be replaced: its data is lost',
    'new NAT gateway Nat: about $0.045/h each, plus data',
  ],
  hourlyCost: { before: 0.0163, after: 0.0613 },
});

describe('for a terminal', () => {
  test('prints the header, the summary, then per changed stack its marks, asset and cost lines and the diff', () => {
    expect(formatReview(review([changed, stack('Same', { status: 'unchanged' })], true))).toBe([
      'Infrastructure review: abc1234 (base) -> def5678 with uncommitted changes',
      '1 of 2 stacks change; 2 changes to look at twice.',
      '',
      '=== Changed (changed) ===',
      'Look at twice:',
      '  ! AWS::DynamoDB::Table Users will be replaced: its data is lost',
      '  ! new NAT gateway Nat: about $0.045/h each, plus data',
      'Asset content only (new code or bundle, same infrastructure): 2 resources: FnA, FnB',
      'Idle cost: $0.0163/h -> $0.0613/h',
      '',
      'Resources\n[~] AWS::DynamoDB::Table Users',
      '',
      'Unchanged: Same',
    ].join('\n'));
  });

  test('counts in the singular: 1 stack, 1 change, 1 resource', () => {
    const one = stack('Only', { lookTwice: ['x'], assetOnly: ['Fn'] });
    const text = formatReview(review([one]));
    expect(text).toContain('1 of 1 stack change; 1 change to look at twice.');
    expect(text).toContain(': 1 resource: Fn');
  });

  test('says there are no infrastructure changes, counting the stacks', () => {
    expect(formatReview(review([stack('A', { status: 'unchanged' }), stack('B', { status: 'unchanged' })])))
      .toBe('Infrastructure review: abc1234 (base) -> def5678\nNo infrastructure changes in 2 stacks.');
  });

  test('prints a stack with nothing to look at twice as its heading alone', () => {
    expect(formatReview(review([stack('Added', { status: 'added' })]))).toBe([
      'Infrastructure review: abc1234 (base) -> def5678',
      '1 of 1 stack change; 0 changes to look at twice.',
      '',
      '=== Added (added) ===',
    ].join('\n'));
  });

  test('prints no cost line when the cost is the same to 4 decimals, and one when it differs', () => {
    expect(formatReview(review([stack('A', { hourlyCost: { before: 0.01631, after: 0.01634 } })])))
      .not.toContain('Idle cost');
    expect(formatReview(review([stack('A', { hourlyCost: { before: 0.0163, after: 0.0162 } })])))
      .toContain('Idle cost: $0.0163/h -> $0.0162/h');
  });
});

describe('as Markdown', () => {
  test('prints the same review with a warning block, the diff folded away and the stack names as code', () => {
    expect(formatReviewMarkdown(review([changed, stack('Same', { status: 'unchanged' })], true))).toBe([
      '## Infrastructure review: `abc1234` → `def5678 with uncommitted changes`',
      '',
      '**1 of 2 stacks change; 2 changes to look at twice.**',
      '',
      '### Changed (changed)',
      '',
      '> [!WARNING]',
      '> Look at twice:',
      '> - AWS::DynamoDB::Table Users will be replaced: its data is lost',
      '> - new NAT gateway Nat: about $0.045/h each, plus data',
      '',
      'Asset content only (new code or bundle, same infrastructure): 2 resources: FnA, FnB',
      '',
      'Idle cost: $0.0163/h -> $0.0613/h',
      '',
      '<details><summary>Changes</summary>',
      '',
      '```text',
      'Resources\n[~] AWS::DynamoDB::Table Users',
      '```',
      '',
      '</details>',
      '',
      'Unchanged: `Same`',
    ].join('\n'));
  });

  test('prints a stack without marks, assets, cost or diff as its heading alone', () => {
    expect(formatReviewMarkdown(review([stack('Removed', { status: 'removed' })]))).toBe([
      '## Infrastructure review: `abc1234` → `def5678`',
      '',
      '**1 of 1 stack change; 0 changes to look at twice.**',
      '',
      '### Removed (removed)',
    ].join('\n'));
  });

  test('says there are no infrastructure changes, without listing the unchanged stacks', () => {
    expect(formatReviewMarkdown(review([stack('A', { status: 'unchanged' })])))
      .toBe('## Infrastructure review: `abc1234` → `def5678`\n\n**No infrastructure changes in 1 stack.**');
  });
});

test('lists every unchanged stack after the changed ones, comma-separated, in both renderings', () => {
  const stacks = [stack('Changed'), stack('Same', { status: 'unchanged' }), stack('Also', { status: 'unchanged' })];
  expect(formatReview(review(stacks)).split('\n').at(-1)).toBe('Unchanged: Same, Also');
  expect(formatReviewMarkdown(review(stacks)).split('\n').at(-1)).toBe('Unchanged: `Same`, `Also`');
});
