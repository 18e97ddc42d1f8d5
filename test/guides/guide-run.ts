import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AWS_COMMAND } from '../helpers/aws-cli-stand-in';
import { RecordedRequest } from './aws-recorder';
import { CommandBlock } from './markdown-blocks';

/**
 * The commands a guide's blocks call that the run replaces: the AWS CLI (sent to the recorder) and the rest
 * (recorded).
 */
const SHIMMED = ['aws', 'npx', 'npm', 'curl', 'session-manager-plugin'];

/** What a shimmed command was called with, and for `aws`, what happened. */
export interface CommandRecord {
  readonly tool: string;
  readonly args: string[];
  readonly exit: number;
  readonly call?: string;
  readonly operations?: string[];
  readonly stdout?: string;
  readonly stderr?: string;
}

/** A command of the script that failed at the top level of the shell (the ERR trap), with its block's line. */
export interface FailedCommand {
  readonly status: number;
  readonly blockLine: number;
  readonly command: string;
}

export interface ScriptRun {
  readonly records: CommandRecord[];
  readonly failures: FailedCommand[];
  /** bash's own complaints (a redirection from a file that does not exist, a syntax error). */
  readonly stderr: string;
}

/**
 * An AWS CLI v2 on PATH (`aws --version` says aws-cli/2), or undefined. The guides are written for v2
 * (`--cli-binary-format`, AWS_REGION); a v1 earlier on PATH is passed over.
 */
export function findAwsCliV2(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, 'aws');
    if (!fs.existsSync(candidate)) continue;
    const version = spawnSync(candidate, ['--version'], { encoding: 'utf-8', timeout: 30_000 });
    if (/^aws-cli\/2\./.test(`${version.stdout}${version.stderr}`)) return candidate;
  }
  return undefined;
}

/** The AWS CLI kept loaded in one process (aws-cli-server.py), listening on 127.0.0.1:`port`. */
export interface AwsCliServer {
  readonly port: number;
  close(): void;
}

/**
 * Starts aws-cli-server.py with the interpreter of the CLI's own script (`#!/usr/bin/python3` for Debian's
 * awscli), or returns undefined when the CLI is not a Python script (the AWS installer's build is a binary):
 * then each command runs in a process of its own, about 0.7 s of CPU apiece.
 */
export async function startAwsCliServer(cli: string): Promise<AwsCliServer | undefined> {
  const head = Buffer.alloc(128);
  const fd = fs.openSync(cli, 'r');
  try { fs.readSync(fd, head, 0, head.length, 0); } finally { fs.closeSync(fd); }
  const interpreter = /^#!(\S*python3?)\s*\n/.exec(head.toString('latin1'))?.[1];
  if (!interpreter) return undefined;
  const child = spawn(interpreter, [path.join(__dirname, 'aws-cli-server.py')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stderr.on('data', (chunk) => { output += chunk; });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.once('data', (chunk) => resolve(Number(/^listening (\d+)/.exec(String(chunk))?.[1])));
    child.once('error', reject);
    child.once('close', (code) => reject(new Error(`aws-cli-server.py exited ${code} before it listened:\n${output}`)));
  });
  return { port, close: () => child.kill() };
}

/**
 * A folder of stand-ins for SHIMMED, to put first on PATH (shims/): `aws` asks the CLI kept loaded when a server is
 * given, and runs the CLI in a process of its own otherwise; the other tools only record their arguments.
 */
export function createShims(dir: string, server?: AwsCliServer): string {
  const shims = path.join(__dirname, 'shims');
  const aws = server
    ? `AWS_CLI_STAND_IN_PORT=${server.port} exec bash ${quote(AWS_COMMAND)} "$@"`
    : `exec ${quote(process.execPath)} ${quote(path.join(shims, 'aws-alone.js'))} "$@"`;
  for (const tool of SHIMMED) {
    const command = tool === 'aws' ? aws : `exec bash ${quote(path.join(shims, 'record.sh'))} ${tool} "$@"`;
    fs.writeFileSync(path.join(dir, tool), `#!/usr/bin/env bash\n${command}\n`, { mode: 0o755 });
  }
  return dir;
}

/**
 * The blocks as one bash script, in order, as a student pastes them into one terminal; failures are recorded, not
 * fatal.
 */
export function scriptOf(blocks: readonly CommandBlock[]): string {
  return [
    'trap \'printf "%s\\t%s\\t%s\\n" "$?" "$__block" "$BASH_COMMAND" >> "$GUIDE_ERRORS"\' ERR',
    ...blocks.flatMap((block) => [`__block=${block.line}`, block.text]),
    '',
  ].join('\n');
}

export interface RunEnvironment {
  readonly cli: string;
  readonly endpoint: string;
  readonly shims: string;
  /** The region, set as AWS_REGION only: no config file, no AWS_DEFAULT_REGION. */
  readonly region: string;
}

/** Runs a script in a new folder with a fresh shell and environment, as in a new terminal. */
export async function runScript(script: string, environment: RunEnvironment): Promise<ScriptRun> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guide-run-'));
  const log = path.join(dir, 'commands.jsonl');
  const errors = path.join(dir, 'failed.tsv');
  fs.writeFileSync(path.join(dir, 'script.sh'), script);
  const base = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_')));
  const env = {
    ...base,
    PATH: `${environment.shims}${path.delimiter}${process.env.PATH}`,
    AWS_ACCESS_KEY_ID: 'AKIAGUIDETEST', AWS_SECRET_ACCESS_KEY: 'guide-test', AWS_REGION: environment.region,
    AWS_CONFIG_FILE: path.join(dir, 'no-aws-config'), AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'no-aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true', AWS_PAGER: '', AWS_MAX_ATTEMPTS: '1',
    GUIDE_LOG: log, GUIDE_ERRORS: errors, GUIDE_ENDPOINT: environment.endpoint, GUIDE_AWS_CLI: environment.cli,
  };
  try {
    const stderr = await new Promise<string>((resolve, reject) => {
      const child = spawn('bash', ['--norc', '--noprofile', 'script.sh'], {
        cwd: dir, env, stdio: ['ignore', 'ignore', 'pipe'],
      });
      let output = '';
      child.stderr.on('data', (chunk) => { output += chunk; });
      const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
      child.once('error', reject);
      child.once('close', () => { clearTimeout(timer); resolve(output); });
    });
    const read = (file: string) => (fs.existsSync(file)
      ? fs.readFileSync(file, 'utf-8').split('\n').filter((line) => line !== '')
      : []);
    return {
      records: read(log).map((line) => JSON.parse(line)),
      failures: read(errors).map((line) => {
        const [status, blockLine, ...command] = line.split('\t');
        return { status: Number(status), blockLine: Number(blockLine), command: command.join('\t') };
      }),
      stderr,
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** `bash -n`: the shell's syntax errors in a block, empty when it parses. */
export function syntaxErrors(block: CommandBlock): string {
  const result = spawnSync('bash', ['-n'], { input: block.text, encoding: 'utf-8' });
  return result.status === 0 ? '' : result.stderr.trim();
}

/** High-level commands that call one operation of another name. */
const HIGH_LEVEL_OPERATIONS: Record<string, string> = { 'logs tail': 'FilterLogEvents' };

/** The AWS CLI's service (`s3api`) as the signing name its requests carry. */
const SIGNING_NAMES: Record<string, string> = { s3api: 's3', s3: 's3', cloudwatch: 'monitoring' };

/**
 * Problems with the `aws` calls of a run: a non-zero exit; a call whose requests did not reach the recorder, or
 * reached it for another service, operation or region than the command means; text output that runs several names
 * with spaces into one tab-separated line.
 */
export function awsProblems(
  records: readonly CommandRecord[],
  requests: readonly RecordedRequest[],
  region: string,
): string[] {
  const problems: string[] = [];
  for (const record of records.filter((r) => r.tool === 'aws')) {
    const command = `aws ${record.args.join(' ')}`;
    const [service, subcommand] = record.args.filter((arg) => !arg.startsWith('-'));
    if (record.exit !== 0) {
      problems.push(`${command}\n  exited ${record.exit}: ${record.stderr?.split('\n').slice(-3).join(' ') ?? ''}`);
      continue;
    }
    if (service === 'configure') continue;
    const sent = requests.filter((request) => request.call === record.call);
    const operations = record.operations ?? [];
    if (operations.length === 0 || sent.length < operations.length) {
      problems.push(`${command}\n  sent ${operations.length} request(s) (${operations.join(', ')}); `
        + `the endpoint received ${sent.length}`);
      continue;
    }
    const signingName = SIGNING_NAMES[service] ?? service;
    for (const request of sent) {
      if (request.service !== signingName) {
        problems.push(`${command}\n  reached service ${request.service}, not ${signingName}`);
      }
      const pinnedRegion = record.args.includes('--region');
      if (!pinnedRegion && request.region !== region) {
        problems.push(`${command}\n  used region ${JSON.stringify(request.region)}, not AWS_REGION (${region})`);
      }
    }
    // High-level commands (aws s3 cp, aws ec2 wait ...) call operations of other names, or several; the rest are one
    // operation each.
    if (service !== 's3' && subcommand !== 'wait') {
      const expected = HIGH_LEVEL_OPERATIONS[`${service} ${subcommand}`]
        ?? subcommand.split('-').map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join('');
      const named = sent.map((request) => request.operation).filter(Boolean);
      if (!operations.includes(expected) || named.some((operation) => operation !== expected)) {
        problems.push(`${command}\n  sent ${[...new Set([...operations, ...named])].join(', ')}, not ${expected}`);
      }
    }
    const text = record.args.join(' ').includes('--output text');
    const ambiguous = (record.stdout ?? '').split('\n')
      .find((line) => line.includes('\t') && line.split('\t').some((field) => field.trim().includes(' ')));
    if (text && ambiguous) {
      problems.push(`${command}\n  prints several values with spaces on one tab-separated line `
        + `(${JSON.stringify(ambiguous)}); query [].[Name] prints one per line`);
    }
  }
  return problems;
}

function quote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
