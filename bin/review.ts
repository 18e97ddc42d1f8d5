#!/usr/bin/env node
import * as path from 'path';
import { runCli } from '../lib/cli';

/** What --help prints; the guide tests check the guides' commands against it. */
export const USAGE = `Usage: npm run review -- [<base-ref>] [--markdown]

Synthesizes every lab at <base-ref> (default: where this branch left main) and in the working tree, offline, and
prints per stack what changes the way \`cdk diff\` does, asset-hash-only changes in one line, and the changes to look
at twice: a table, bucket or log group replaced or deleted, a widened IAM statement, new ingress from 0.0.0.0/0,
a new NAT gateway, a higher idle cost. Exits 0 with a review, 2 when it cannot make one.

  <base-ref>    a branch, tag or commit: main, origin/main, HEAD~1, ...
  --markdown    print Markdown for a pull-request comment or job summary`;

export interface ReviewArgs {
  readonly baseRef?: string;
  readonly markdown: boolean;
}

/** Parses the command line; throws with what is allowed. */
export function parseArgs(args: readonly string[]): ReviewArgs | 'help' {
  if (args.includes('--help') || args.includes('-h')) return 'help';
  const refs = args.filter((arg) => arg !== '--markdown');
  const unknown = refs.find((arg) => arg.startsWith('-'));
  if (unknown) throw new Error(`unknown option ${unknown}`);
  if (refs.length > 1) throw new Error(`one base revision at a time, got ${refs.join(' ')}`);
  return { baseRef: refs[0], markdown: args.includes('--markdown') };
}

if (require.main === module) {
  void runCli(USAGE, () => parseArgs(process.argv.slice(2)), (args) => {
    // Loaded here, not at the top: --help and a bad argument answer without loading the CDK app or the AWS SDK.
    const { runReview } = require('../lib/review/run-review') as typeof import('../lib/review/run-review');
    const { formatReview, formatReviewMarkdown } = require('../lib/review/format-review') as
      typeof import('../lib/review/format-review');
    const review = runReview({
      cwd: path.join(__dirname, '..'),
      baseRef: args.baseRef,
      log: (line) => console.error(line),
    });
    console.log(args.markdown ? formatReviewMarkdown(review) : formatReview(review));
    return 0;
  });
}
