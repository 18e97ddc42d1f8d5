import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseArgs } from '../../bin/review';
import { CannotRunError } from '../../lib/cli';
import { formatReview, formatReviewMarkdown } from '../../lib/review/format-review';
import { Review, runReview } from '../../lib/review/run-review';
import { runCommand } from '../helpers/run-command';
import { joinRegExp } from '../helpers/join-regexp';

// npm run review on two small revisions of a fixture CDK app, committed to a temporary git repository by the test:
// the real cdk synth of each revision, and the CDK's own diff library.
jest.setTimeout(180_000);

const ROOT = path.join(__dirname, '..', '..');

/**
 * The fixture app: one stack whose table key, routes, extra permissions and function code come from fixture.json.
 * Plain JavaScript run by node, so each of the test's synths pays for the CDK and nothing else.
 */
const APP = `
const path = require('path');
const { App, RemovalPolicy, Stack } = require('aws-cdk-lib');
const apigateway = require('aws-cdk-lib/aws-apigateway');
const dynamodb = require('aws-cdk-lib/aws-dynamodb');
const iam = require('aws-cdk-lib/aws-iam');
const lambda = require('aws-cdk-lib/aws-lambda');
const fixture = require('./fixture.json');
const app = new App({ builtinCloudFormationValidation: false }); // the whole-app test runs the validator
const stack = new Stack(app, 'FixtureLab');
const table = new dynamodb.Table(stack, 'Table', {
  partitionKey: { name: fixture.partitionKey, type: dynamodb.AttributeType.STRING },
  billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
  removalPolicy: RemovalPolicy.DESTROY,
});
const fn = new lambda.Function(stack, 'Handler', {
  runtime: lambda.Runtime.NODEJS_24_X,
  handler: 'index.handler',
  code: lambda.Code.fromAsset(path.join(__dirname, 'handler')),
});
table.grantReadData(fn);
for (const action of fixture.extraActions) \
fn.addToRolePolicy(new iam.PolicyStatement({ actions: [action], resources: ['*'] }));
const api = new apigateway.LambdaRestApi(stack, 'Api', { handler: fn, proxy: false });
for (const route of fixture.routes) api.root.resourceForPath(route).addMethod('GET');
`;

interface Fixture {
  readonly partitionKey: string;
  readonly routes: string[];
  readonly extraActions: string[];
  readonly handler: string;
}

const BASE: Fixture = {
  partitionKey: 'userId',
  routes: ['users'],
  extraActions: [],
  handler: 'exports.handler = async () => ({ statusCode: 200, body: "v1" });',
};

let repo: string;

function write(fixture: Fixture, app = APP): void {
  fs.writeFileSync(path.join(repo, 'app.js'), app);
  fs.writeFileSync(path.join(repo, 'fixture.json'), JSON.stringify(fixture, null, 2));
  fs.mkdirSync(path.join(repo, 'handler'), { recursive: true });
  fs.writeFileSync(path.join(repo, 'handler', 'index.js'), fixture.handler);
}

function commit(message: string): void {
  execFileSync('git', ['add', '-A'], { cwd: repo });
  execFileSync(
    'git',
    ['-c', 'user.name=Fixture', '-c', 'user.email=fixture@example.com', 'commit', '-q', '-m', message],
    { cwd: repo },
  );
}

const review = (baseRef?: string): Review => runReview({ cwd: repo, baseRef, log: () => undefined });

beforeAll(() => {
  repo = fs.mkdtempSync(path.join(os.tmpdir(), 'labs-review-fixture-'));
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: repo });
  fs.writeFileSync(path.join(repo, '.gitignore'), 'node_modules\ncdk.out\n');
  fs.writeFileSync(path.join(repo, 'cdk.json'), JSON.stringify({ app: 'node app.js' }));
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(repo, 'node_modules'), 'dir');
  write(BASE);
  commit('base revision');
});

afterAll(() => {
  fs.rmSync(repo, { recursive: true, force: true });
});

describe('between the base revision and a working tree that adds a route, renames the table key, widens the policy '
  + 'and changes the code', () => {
  let result: Review;

  beforeAll(() => {
    execFileSync('git', ['checkout', '-q', '-b', 'change'], { cwd: repo });
    write({
      partitionKey: 'id',
      routes: ['users', 'health'],
      extraActions: ['s3:*'],
      handler: BASE.handler.replace('v1', 'v2'),
    });
    result = review();
  });

  test('compares with where the branch left main, and says the working tree has uncommitted changes', () => {
    expect(result.base)
      .toBe(execFileSync('git', ['rev-parse', '--short', 'main'], { cwd: repo, encoding: 'utf-8' }).trim());
    expect(result.dirty).toBe(true);
    expect(result.stacks.map((stack) => [stack.stack, stack.status])).toEqual([['FixtureLab', 'changed']]);
  });

  test('shows the added route as cdk diff does', () => {
    expect(result.stacks[0].changes).toMatch(/^\[\+\] AWS::ApiGateway::Resource Api\/Default\/health Apihealth\w+$/m);
    expect(result.stacks[0].changes)
      .toMatch(/^\[\+\] AWS::ApiGateway::Method Api\/Default\/health\/GET ApihealthGET\w+$/m);
  });

  test('marks the replaced table and the widened policy to look at twice', () => {
    expect(result.stacks[0].lookTwice).toEqual([
      expect.stringMatching(/^AWS::DynamoDB::Table Table\w+ will be replaced: its data is lost$/),
      'IAM widened: allows s3:* on *',
    ]);
  });

  test('summarises the code change in one line, not as a hash diff', () => {
    expect(result.stacks[0].assetOnly).toEqual([expect.stringMatching(/^Handler\w+$/)]);
    const text = formatReview(result);
    expect(text.split('\n').filter((line) => line.includes('Asset content only'))).toEqual([
      `Asset content only (new code or bundle, same infrastructure): 1 resource: ${result.stacks[0].assetOnly[0]}`,
    ]);
    expect(text).not.toMatch(/[0-9a-f]{64}/);
  });

  test('prints the same review as Markdown for a pull request', () => {
    const markdown = formatReviewMarkdown(result);
    expect(markdown).toMatch(new RegExp(
      `^## Infrastructure review: \`${result.base}\` → \`\\w+ with uncommitted changes\`\n\n`
        + `\\*\\*1 of 1 stack change; 2 changes to look at twice\\.\\*\\*`,
    ));
    expect(markdown).toContain('> - IAM widened: allows s3:* on *');
    expect(markdown).toContain('<details><summary>Changes</summary>\n\n```text\n');
  });
});

test('reports a code-only change as asset content only, with no infrastructure change, against a ref named '
  + 'on the command line', () => {
  write({ ...BASE, handler: BASE.handler.replace('v1', 'v3') });
  commit('code only');
  const result = review('HEAD~1');
  expect(result.stacks[0].status).toBe('changed');
  expect(result.stacks[0].assetOnly).toEqual([expect.stringMatching(/^Handler\w+$/)]);
  expect(result.stacks[0].changes).toBe('');
  expect(result.stacks[0].lookTwice).toEqual([]);
  expect(formatReview(result)).toMatch(joinRegExp(
    /^Infrastructure review: \w+ \(base\) -> \w+\n1 of 1 stack change; 0 changes to look at twice\.\n\n/,
    /=== FixtureLab \(changed\) ===\nAsset content only/,
  ));
});

test('fails with what to do on an unknown ref, and on a base revision that does not synthesize', () => {
  expect(() => review('no-such-branch')).toThrow(new CannotRunError(
    'Unknown git ref "no-such-branch": give a branch, tag or commit (e.g. main, origin/main, HEAD~1); '
      + 'in a shallow clone, fetch it first (git fetch origin main).',
  ));
  write(BASE, `${APP}\nthrow new Error('this revision is broken');\n`);
  commit('broken');
  write(BASE);
  expect(() => review('HEAD')).toThrow(joinRegExp(
    /^The base revision \w+ does not synthesize, so there is nothing to compare with; /,
    /name another base \(npm run review -- <ref>\)\.\ncdk synth failed \(exit 1\):\n[\s\S]*this revision is broken/,
  ));
  expect(execFileSync('git', ['worktree', 'list'], { cwd: repo, encoding: 'utf-8' }).trim().split('\n'))
    .toHaveLength(1);
});

test('npm run review refuses an unknown ref with exit code 2 and no stack trace', async () => {
  const { code, stderr } = await runCommand('bin/review.ts', ['no-such-branch']);
  expect(stderr).toContain('Unknown git ref "no-such-branch"');
  expect(stderr).not.toMatch(/\n\s+at /);
  expect(code).toBe(2);
});

test('reads a base ref and --markdown, and refuses unknown options and two refs', () => {
  expect(parseArgs([])).toEqual({ baseRef: undefined, markdown: false });
  expect(parseArgs(['--markdown', 'origin/main'])).toEqual({ baseRef: 'origin/main', markdown: true });
  expect(() => parseArgs(['--json'])).toThrow('unknown option --json');
  expect(() => parseArgs(['main', 'HEAD~1'])).toThrow('one base revision at a time, got main HEAD~1');
});
