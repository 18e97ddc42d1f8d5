import { Review } from './run-review';
import { StackReview } from './stack-review';

const changedStacks = (review: Review) => review.stacks.filter((stack) => stack.status !== 'unchanged');
const lookTwiceCount = (review: Review) => review.stacks.reduce((sum, stack) => sum + stack.lookTwice.length, 0);
const headLabel = (review: Review) => `${review.head}${review.dirty ? ' with uncommitted changes' : ''}`;

const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

function summary(review: Review): string {
  const changed = changedStacks(review).length;
  if (changed === 0) return `No infrastructure changes in ${count(review.stacks.length, 'stack')}.`;
  return `${changed} of ${count(review.stacks.length, 'stack')} change; `
    + `${count(lookTwiceCount(review), 'change')} to look at twice.`;
}

function assetLine(stack: StackReview): string | undefined {
  if (stack.assetOnly.length === 0) return undefined;
  return 'Asset content only (new code or bundle, same infrastructure): '
    + `${count(stack.assetOnly.length, 'resource')}: ${stack.assetOnly.join(', ')}`;
}

function costLine(stack: StackReview): string | undefined {
  const { before, after } = stack.hourlyCost;
  return before.toFixed(4) === after.toFixed(4)
    ? undefined
    : `Idle cost: $${before.toFixed(4)}/h -> $${after.toFixed(4)}/h`;
}

/** The review for a terminal: per changed stack, the marks, the one-line asset summary, then the diff. */
export function formatReview(review: Review): string {
  const lines = [`Infrastructure review: ${review.base} (base) -> ${headLabel(review)}`, summary(review)];
  for (const stack of changedStacks(review)) {
    lines.push('', `=== ${stack.stack} (${stack.status}) ===`);
    if (stack.lookTwice.length > 0) lines.push('Look at twice:', ...stack.lookTwice.map((mark) => `  ! ${mark}`));
    for (const line of [assetLine(stack), costLine(stack)]) if (line) lines.push(line);
    if (stack.changes) lines.push('', stack.changes);
  }
  const unchanged = review.stacks.filter((stack) => stack.status === 'unchanged').map((stack) => stack.stack);
  if (unchanged.length > 0 && unchanged.length < review.stacks.length) {
    lines.push('', `Unchanged: ${unchanged.join(', ')}`);
  }
  return lines.join('\n');
}

/** The same review as Markdown for a pull-request comment or job summary. */
export function formatReviewMarkdown(review: Review): string {
  const lines = [
    `## Infrastructure review: \`${review.base}\` → \`${headLabel(review)}\``,
    '',
    `**${summary(review)}**`,
  ];
  for (const stack of changedStacks(review)) {
    lines.push('', `### ${stack.stack} (${stack.status})`);
    if (stack.lookTwice.length > 0) {
      lines.push('', '> [!WARNING]', '> Look at twice:', ...stack.lookTwice.map((mark) => `> - ${mark}`));
    }
    for (const line of [assetLine(stack), costLine(stack)]) if (line) lines.push('', line);
    if (stack.changes) {
      lines.push('', '<details><summary>Changes</summary>', '', '```text', stack.changes, '```', '', '</details>');
    }
  }
  const unchanged = review.stacks.filter((stack) => stack.status === 'unchanged').map((stack) => `\`${stack.stack}\``);
  if (unchanged.length > 0 && unchanged.length < review.stacks.length) {
    lines.push('', `Unchanged: ${unchanged.join(', ')}`);
  }
  return lines.join('\n');
}
