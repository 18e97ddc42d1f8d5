#!/usr/bin/env node
import * as path from 'path';
import { CannotRunError } from '../lib/aws/errors';
import { formatReview, formatReviewMarkdown } from '../lib/review/format-review';
import { runReview } from '../lib/review/run-review';

const USAGE = `Usage: npm run review -- [<base-ref>] [--markdown]

Synthesizes every lab at <base-ref> (default: where this branch left main) and in the working tree, offline, and
prints per stack what changes the way \`cdk diff\` does, asset-hash-only changes in one line, and the changes to look
at twice: a table, bucket or log group replaced or deleted, a widened IAM statement, new ingress from 0.0.0.0/0,
a new NAT gateway, a higher idle cost. Exits 0 with a review, 2 when it cannot make one.

  <base-ref>    a branch, tag or commit: main, origin/main, HEAD~1, ...
  --markdown    print Markdown for a pull-request comment or job summary`;

function main(): void {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    console.log(USAGE);
    return;
  }
  const markdown = args.includes('--markdown');
  const refs = args.filter((arg) => arg !== '--markdown');
  const unknown = refs.find((arg) => arg.startsWith('-'));
  if (unknown || refs.length > 1) {
    console.error(`${unknown ? `unknown option ${unknown}` : `one base revision at a time, got ${refs.join(' ')}`}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  try {
    const review = runReview({ cwd: path.join(__dirname, '..'), baseRef: refs[0], log: (line) => console.error(line) });
    console.log(markdown ? formatReviewMarkdown(review) : formatReview(review));
  } catch (error) {
    if (!(error instanceof CannotRunError)) throw error;
    console.error(error.message);
    process.exitCode = 2;
  }
}

if (require.main === module) {
  main();
}
