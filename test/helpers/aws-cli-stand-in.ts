import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';

/**
 * What the AWS CLI stand-ins of the task scripts' tests share: the `aws` command (aws-cli-stand-in.sh, a bash script
 * that sends each call here), the server that answers it from the test's process, and the CLI's ways to fail.
 */

/** The `aws` command; the guide tests' kept-loaded CLI answers it too (test/guides/aws-cli-server.py). */
export const AWS_COMMAND = path.join(__dirname, 'aws-cli-stand-in.sh');

export type Environment = Record<string, string | undefined>;

/** One call of `aws`: its arguments, its environment, and a signal that aborts when its process is killed. */
export interface CliCall {
  readonly args: string[];
  readonly env: Environment;
  readonly gone: AbortSignal;
}

/** Thrown to end a call as the CLI exits with a code other than 0, after printing `stdout`. */
export class CliExit extends Error {
  constructor(readonly code: number, readonly stderr: string, readonly stdout = '') {
    super(`exit ${code}`);
  }
}

/** Thrown by a stand-in that stops work for a call whose process was killed: nobody reads its answer. */
export class CallGone extends Error {}

/** Ends the call as the CLI does on an error answer from AWS. */
export function serviceError(operation: string, code: string, message: string): never {
  throw new CliExit(254, `\nAn error occurred (${code}) when calling the ${operation} operation: ${message}\n`);
}

/** Ends the call as the CLI does on a parameter it cannot parse. */
export function parameterError(message: string): never {
  throw new CliExit(252, `\n${message}\n`);
}

/** Ends the call as the CLI does on a command line it cannot parse. */
export function usageError(message: string): never {
  throw new CliExit(252,
    `\nusage: aws [options] <command> <subcommand> [<subcommand> ...] [parameters]\naws: error: ${message}\n`);
}

/** The options a command takes: each required or optional one takes a value, a flag takes none. */
export interface CommandOptions {
  readonly required: string[];
  readonly optional?: string[];
  readonly flags?: string[];
}

export type Options = Record<string, string | true>;

/** The options after `<service> <command>`; anything else ends the call as the CLI refuses it. */
export function parseOptions(
  args: readonly string[],
  { required, optional = [], flags = [] }: CommandOptions,
): Options {
  const options: Options = {};
  for (let i = 2; i < args.length; i += 1) {
    const name = args[i].replace(/^--/, '');
    if (args[i].startsWith('--') && flags.includes(name)) {
      options[name] = true;
      continue;
    }
    if (!args[i].startsWith('--') || ![...required, ...optional].includes(name)) {
      usageError(`Unknown options: ${args[i]}`);
    }
    if (i + 1 >= args.length) usageError(`argument ${args[i]}: expected one argument`);
    options[name] = args[i + 1];
    i += 1;
  }
  const missing = required.filter((name) => options[name] === undefined);
  if (missing.length > 0) {
    usageError(`the following arguments are required: ${missing.map((name) => `--${name}`).join(', ')}`);
  }
  return options;
}

/** Refuses any output but `--query <query> --output text`, the only one a stand-in prints. */
export function checkTextQuery(options: Options, query: string): void {
  if (options.query !== query || options.output !== 'text') {
    usageError(`the stand-in only answers --query '${query}' --output text`);
  }
}

/**
 * Text output as the CLI writes it: in the locale's encoding ($LC_ALL, else $LC_CTYPE, else $LANG: the first one set
 * decides) unless $AWS_CLI_OUTPUT_ENCODING says otherwise. In the C locale (the CLI's image sets none) that is ASCII,
 * and a non-ASCII character stops the CLI with Python's error, after the lines before it.
 */
export function textOutput(env: Environment, lines: readonly string[]): string {
  const locale = env.LC_ALL || env.LC_CTYPE || env.LANG || '';
  const utf8 = /utf-?8/i.test(locale) || /^utf-?8$/i.test(env.AWS_CLI_OUTPUT_ENCODING || '');
  let output = '';
  for (const line of lines) {
    const position = [...line].findIndex((character) => character.codePointAt(0)! > 127);
    if (!utf8 && position >= 0) {
      const code = [...line][position].codePointAt(0)!;
      // 0x80 to 0xff: always two hexadecimal digits.
      const escaped = code < 0x100 ? `\\x${code.toString(16)}`
        : code < 0x10000 ? `\\u${code.toString(16).padStart(4, '0')}` : `\\U${code.toString(16).padStart(8, '0')}`;
      throw new CliExit(255, `\n'ascii' codec can't encode character '${escaped}' in position ${position}: `
        + 'ordinal not in range(128)\n', output);
    }
    output += `${line}\n`;
  }
  return output;
}

export interface AwsCliStandIn {
  /** The folder to put first on PATH: its `aws` is the stand-in. */
  readonly bin: string;
  /** Variables the `aws` of `bin` needs in its environment. */
  readonly env: { readonly AWS_CLI_STAND_IN_PORT: string };
  close(): Promise<void>;
}

/**
 * Answers the `aws` calls of a test with `answer`, which returns what the call prints (exit 0) or throws CliExit. Each
 * call's arguments are first appended to the file $AWS_CLI_STAND_IN_CALLS as one JSON line. `dir` receives the bin
 * folder.
 */
export async function serveAwsCli(dir: string, answer: (call: CliCall) => Promise<string>): Promise<AwsCliStandIn> {
  // The checkout may have lost the executable bit.
  fs.chmodSync(AWS_COMMAND, 0o755);
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin);
  fs.symlinkSync(AWS_COMMAND, path.join(bin, 'aws'));
  const server = net.createServer((socket) => {
    const gone = new AbortController();
    socket.once('close', () => gone.abort());
    socket.on('error', () => undefined);
    let received = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const request = parseRequest(received);
      if (!request) return;
      socket.off('data', onData);
      void run({ ...request, gone: gone.signal }, answer).then(({ code, stdout, stderr }) => {
        if (!gone.signal.aborted) socket.end(`${code}\0${stdout}\0${stderr}\0`);
      });
    };
    socket.on('data', onData);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    bin,
    env: { AWS_CLI_STAND_IN_PORT: String((server.address() as net.AddressInfo).port) },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Runs one call to its exit code and output; an error the stand-in did not mean exits 255 with its stack. */
async function run(call: CliCall, answer: (call: CliCall) => Promise<string>) {
  try {
    fs.appendFileSync(call.env.AWS_CLI_STAND_IN_CALLS!, `${JSON.stringify(call.args)}\n`);
    return { code: 0, stdout: await answer(call), stderr: '' };
  } catch (error) {
    if (error instanceof CliExit) return { code: error.code, stdout: error.stdout, stderr: error.stderr };
    return { code: 255, stdout: '', stderr: `\n${(error as Error).stack}\n` };
  }
}

/**
 * The request of aws-cli-stand-in.sh once it is whole: fields ended by NUL, the folder (not needed here), the number
 * of variables, each variable as NAME=value, the number of arguments, each argument.
 */
function parseRequest(received: Buffer): { env: Environment; args: string[] } | undefined {
  const fields = received.toString('utf-8').split('\0');
  fields.pop(); // after the last NUL: a field not yet whole
  const variableCount = Number(fields[1]);
  const argumentCount = Number(fields[variableCount + 2]);
  // Either count not yet received is NaN, and the comparison false.
  if (!(fields.length >= variableCount + 3 + argumentCount)) return undefined;
  const env: Environment = {};
  for (const variable of fields.slice(2, variableCount + 2)) {
    const equals = variable.indexOf('=');
    env[variable.slice(0, equals)] = variable.slice(equals + 1);
  }
  return { env, args: fields.slice(variableCount + 3, variableCount + 3 + argumentCount) };
}
