import { execFile, spawn } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { setTimeout as delay } from 'timers/promises';
import {
  AwsCliStandIn, CallGone, checkTextQuery, CliCall, CliExit, parameterError, parseOptions, serveAwsCli, serviceError,
  textOutput, usageError,
} from './aws-cli-stand-in';

// The AWS CLI stand-ins' shared part: the bash `aws` and the server in the test's process, through real processes and
// a real socket; and the CLI's ways to fail, to the byte.
let dir: string;
let callsPath: string;
let standIn: AwsCliStandIn;
let answer: (call: CliCall) => Promise<string>;
const calls: CliCall[] = [];

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'labs-aws-cli-stand-in-'));
  callsPath = path.join(dir, 'calls.jsonl');
  standIn = await serveAwsCli(dir, (call) => {
    calls.push(call);
    return answer(call);
  });
});

afterAll(async () => {
  await standIn?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  calls.length = 0;
  fs.writeFileSync(callsPath, '');
});

/** Runs `aws` with these arguments and variables (and no others but PATH). */
function aws(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    execFile(path.join(standIn.bin, 'aws'), args, {
      env: { PATH: process.env.PATH, ...standIn.env, AWS_CLI_STAND_IN_CALLS: callsPath, ...env },
      encoding: 'utf-8',
      maxBuffer: 16 * 1024 * 1024,
    }, (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }));
  });
}

describe('aws-cli-stand-in.sh and serveAwsCli', () => {
  // 100 KB: more than one read of the socket, under Linux's limit for one argument (128 KB).
  test('passes every argument as it is: empty, spaces, tabs, newlines, non-ASCII, a leading dash, 100 KB', async () => {
    answer = async () => 'done\n';
    const args = ['s3api', '', 'two words', 'a\tb', 'line\nnext\n', 'Zoë ✓ 😀', '--flag=-1', 'x'.repeat(100_000)];
    const result = await aws(args);
    expect(result).toEqual({ code: 0, stdout: 'done\n', stderr: '' });
    expect(calls[0].args).toEqual(args);
  });

  test('prints the answer as it is: non-ASCII, no final newline, 200 KB', async () => {
    const stdout = `Zoë\t✓\n${'y'.repeat(200_000)}`;
    answer = async () => stdout;
    expect(await aws(['x'])).toEqual({ code: 0, stdout, stderr: '' });
  });

  test('passes no argument as none', async () => {
    answer = async () => '';
    expect((await aws([])).code).toBe(0);
    expect(calls[0].args).toEqual([]);
  });

  test('passes its environment, and only that: a variable set, one empty, one with = and a newline, one of 100 KB',
    async () => {
      answer = async () => '';
      const env = { AWS_REGION: 'eu-west-1', LC_ALL: '', ODD: 'a=b\nc', LONG: 'z'.repeat(100_000) };
      await aws(['sts', '--x'], env);
      expect(calls[0].env).toEqual({
        ...env, PATH: process.env.PATH, ...standIn.env, AWS_CLI_STAND_IN_CALLS: callsPath,
        // What bash exports of its own.
        PWD: process.cwd(), SHLVL: expect.any(String),
      });
      expect(calls[0].args).toEqual(['sts', '--x']);
    });

  test('appends each call\'s arguments to $AWS_CLI_STAND_IN_CALLS as one JSON line', async () => {
    answer = async () => '';
    await aws(['sqs', 'delete-message']);
    await aws(['s3', 'line\none']);
    expect(fs.readFileSync(callsPath, 'utf-8')).toBe('["sqs","delete-message"]\n["s3","line\\none"]\n');
  });

  test.each([
    ['a service error', () => serviceError('GetItem', 'AccessDenied', 'no'), 254,
      '\nAn error occurred (AccessDenied) when calling the GetItem operation: no\n'],
    ['a parameter it cannot parse', () => parameterError('bad JSON'), 252, '\nbad JSON\n'],
    ['a usage error', () => usageError('Unknown options: --x'), 252,
      '\nusage: aws [options] <command> <subcommand> [<subcommand> ...] [parameters]\n'
        + 'aws: error: Unknown options: --x\n'],
  ])('exits as the CLI on %s: its code, its stderr, no stdout', async (_what, fail, code, stderr) => {
    answer = async () => fail();
    expect(await aws(['x'])).toEqual({ code, stdout: '', stderr });
  });

  test('prints the stdout written before an exit, then the exit\'s stderr', async () => {
    answer = async () => {
      throw new CliExit(255, 'oops\n', 'first line\n');
    };
    expect(await aws(['x'])).toEqual({ code: 255, stdout: 'first line\n', stderr: 'oops\n' });
  });

  test('exits 255 with the stack of an error the stand-in did not mean', async () => {
    answer = async () => {
      throw new Error('a bug in the stand-in');
    };
    const result = await aws(['x']);
    expect(result.code).toBe(255);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^\nError: a bug in the stand-in\n\s+at /);
  });

  test('a call killed before its answer aborts its signal and gets none; the server answers the next one', async () => {
    let aborted = false;
    answer = async ({ gone }) => {
      while (!gone.aborted) await delay(10);
      aborted = true;
      throw new CallGone();
    };
    const child = spawn(path.join(standIn.bin, 'aws'), ['sqs', 'receive-message'], {
      env: { PATH: process.env.PATH, ...standIn.env, AWS_CLI_STAND_IN_CALLS: callsPath },
    });
    while (calls.length === 0) await delay(10);
    child.kill('SIGKILL');
    while (!aborted) await delay(10);
    answer = async ({ gone }) => (gone.aborted ? 'aborted\n' : 'live\n');
    expect(await aws(['sts'])).toEqual({ code: 0, stdout: 'live\n', stderr: '' });
  });

  test('a call killed while the stand-in works still lets it finish, and the server answers the next one', async () => {
    let finish = () => undefined as void;
    answer = () => new Promise((resolve) => { finish = () => resolve('late\n'); });
    const child = spawn(path.join(standIn.bin, 'aws'), ['sqs', 'receive-message'], {
      env: { PATH: process.env.PATH, ...standIn.env, AWS_CLI_STAND_IN_CALLS: callsPath },
    });
    while (calls.length === 0) await delay(10);
    child.kill('SIGKILL');
    while (!calls[0].gone.aborted) await delay(10);
    finish();
    await delay(50);
    answer = async () => 'live\n';
    expect(await aws(['sts'])).toEqual({ code: 0, stdout: 'live\n', stderr: '' });
  });

  test('answers one request per connection, whatever comes after it', async () => {
    answer = async () => 'one\n';
    const request = `${dir}\0${1}\0AWS_CLI_STAND_IN_CALLS=${callsPath}\0${1}\0sts\0`;
    const received = await new Promise<string>((resolve) => {
      let text = '';
      const socket = net.connect(Number(standIn.env.AWS_CLI_STAND_IN_PORT), '127.0.0.1', () => {
        // The same request again, in one write and in a later one.
        socket.write(request + request);
        setTimeout(() => socket.write(request), 50);
      });
      socket.setEncoding('utf-8');
      socket.on('data', (chunk) => { text += chunk; });
      socket.on('end', () => resolve(text));
    });
    expect(received).toBe('0\0one\n\0\0');
    expect(calls).toHaveLength(1);
  });

  test('exits 255 when the stand-in cannot log the call ($AWS_CLI_STAND_IN_CALLS unset), without calling it',
    async () => {
      answer = async () => 'answered\n';
      const result = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
        execFile(path.join(standIn.bin, 'aws'), ['sts'], { env: { PATH: process.env.PATH, ...standIn.env } },
          (error, _stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stderr }));
      });
      expect(result.code).toBe(255);
      expect(result.stderr).toMatch(/^\nTypeError.*path/);
      expect(calls).toEqual([]);
    });

  test('without a server on its port (one closed, or none), aws exits 255', async () => {
    const closed = await serveAwsCli(fs.mkdtempSync(path.join(dir, 'closed-')), async () => 'open\n');
    await closed.close();
    expect((await aws(['sts'], closed.env)).code).toBe(255);
    expect((await aws(['sts'], { AWS_CLI_STAND_IN_PORT: '1' })).code).toBe(255);
  });
});

describe('textOutput', () => {
  const ascii = ['ID\tHandle', 'plain ~ text \x7f'];

  test('writes each line with a newline', () => {
    expect(textOutput({}, ascii)).toBe('ID\tHandle\nplain ~ text \x7f\n');
    expect(textOutput({}, [])).toBe('');
  });

  test.each([
    ['LC_ALL', { LC_ALL: 'C.UTF-8' }],
    ['LC_CTYPE', { LC_CTYPE: 'en_US.utf8' }],
    ['LANG', { LANG: 'de_DE.UTF-8' }],
    ['AWS_CLI_OUTPUT_ENCODING', { AWS_CLI_OUTPUT_ENCODING: 'UTF-8' }],
    ['AWS_CLI_OUTPUT_ENCODING in lower case, without the hyphen', { AWS_CLI_OUTPUT_ENCODING: 'utf8' }],
    ['an empty LC_ALL, so LANG decides', { LC_ALL: '', LANG: 'C.UTF-8' }],
  ])('writes non-ASCII text in a UTF-8 locale: %s', (_what, env) => {
    expect(textOutput(env, ['Zoë'])).toBe('Zoë\n');
  });

  test.each([
    ['no locale', {}],
    ['the C locale', { LC_ALL: 'C' }],
    ['LC_ALL over a UTF-8 LANG', { LC_ALL: 'POSIX', LANG: 'C.UTF-8' }],
    ['LC_CTYPE over a UTF-8 LANG', { LC_CTYPE: 'C', LANG: 'C.UTF-8' }],
    ['an output encoding that only names UTF-8', { AWS_CLI_OUTPUT_ENCODING: 'not-utf-8' }],
  ])('stops at the first non-ASCII character with Python\'s error, after the lines before it: %s', (_what, env) => {
    const error = (() => {
      try {
        textOutput(env, ['ok', 'caf\u00e9 \u00e9']);
      } catch (thrown) {
        return thrown as CliExit;
      }
      throw new Error('no error');
    })();
    expect(error).toBeInstanceOf(CliExit);
    expect({ code: error.code, stdout: error.stdout, stderr: error.stderr }).toEqual({
      code: 255,
      stdout: 'ok\n',
      stderr: "\n'ascii' codec can't encode character '\\xe9' in position 3: ordinal not in range(128)\n",
    });
  });

  test.each([
    ['\u0080', "'\\x80' in position 0"],
    ['\u00ff', "'\\xff' in position 0"],
    ['\u0100', "'\\u0100' in position 0"],
    ['a\uffff', "'\\uffff' in position 1"],
    ['ab\u{10000}', "'\\U00010000' in position 2"],
    ['😀x', "'\\U0001f600' in position 0"],
  ])('names %j as Python does, by its position in characters', (line, named) => {
    expect(() => textOutput({}, [line])).toThrow(expect.objectContaining({
      stderr: `\n'ascii' codec can't encode character ${named}: ordinal not in range(128)\n`,
    }));
  });
});

describe('parseOptions', () => {
  const spec = { required: ['table-name', 'key'], optional: ['query'], flags: ['consistent-read'] };
  const usage = (message: string) => expect.objectContaining({
    code: 252, stderr: expect.stringMatching(new RegExp(`\\naws: error: ${message.replace(/[-[\]]/g, '\\$&')}\\n$`)),
  });
  const parse = (...args: string[]) => parseOptions(['dynamodb', 'get-item', ...args], spec);

  test('reads each option\'s value, a flag as true, in any order; an optional one may be left out', () => {
    expect(parse('--key', '{"id":1}', '--consistent-read', '--table-name', 'T')).toEqual({
      key: '{"id":1}', 'consistent-read': true, 'table-name': 'T',
    });
    expect(parse('--table-name', 'T', '--key', 'K', '--query', '--odd')).toEqual({
      'table-name': 'T', key: 'K', query: '--odd',
    });
  });

  test.each([
    ['an option it does not know', ['--table-name', 'T', '--key', 'K', '--region', 'x'], 'Unknown options: --region'],
    ['a word where an option belongs', ['--table-name', 'T', 'K'], 'Unknown options: K'],
    ['an option\'s name without its dashes', ['--key', 'K', 'table-name', 'T'], 'Unknown options: table-name'],
    ['a flag\'s name without its dashes', ['--table-name', 'T', '--key', 'K', 'consistent-read'],
      'Unknown options: consistent-read'],
    ['a flag of another command', ['--table-name', 'T', '--key', 'K', '--dry-run'], 'Unknown options: --dry-run'],
    ['an option without its value', ['--table-name', 'T', '--key'], 'argument --key: expected one argument'],
    ['one required option missing', ['--table-name', 'T'], 'the following arguments are required: --key'],
    ['every required option missing', ['--consistent-read'],
      'the following arguments are required: --table-name, --key'],
  ])('refuses %s with a usage error', (_what, args, message) => {
    expect(() => parse(...args)).toThrow(usage(message));
  });

  test('takes no option at all when none is required', () => {
    expect(parseOptions(['sqs', 'list-queues'], { required: [] })).toEqual({});
  });
});

describe('checkTextQuery', () => {
  const message = "the stand-in only answers --query 'Item' --output text";

  test('passes the query it answers with text output', () => {
    expect(() => checkTextQuery({ query: 'Item', output: 'text' }, 'Item')).not.toThrow();
  });

  test.each([
    ['another query', { query: 'Items', output: 'text' }],
    ['no query', { output: 'text' }],
    ['JSON output', { query: 'Item', output: 'json' }],
    ['no output', { query: 'Item' }],
  ])('refuses %s with a usage error', (_what, options) => {
    expect(() => checkTextQuery(options, 'Item')).toThrow(expect.objectContaining({
      code: 252, stderr: expect.stringContaining(`aws: error: ${message}\n`),
    }));
  });
});
