#!/usr/bin/env node
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { cdkJsonContext } from '../lib/cdk-json';
import { runCli } from '../lib/cli';
import { DEFAULT_LOCAL_PORT, parsePort } from '../lib/local/port';
import { dynamoDbPortOf } from '../lib/local/port';
import type { LabName } from '../lib/lab-names';
import type { LocalApi } from '../lib/local/server';
import { LOCAL_LABS } from '../lib/verify/verified-labs';

const LAB = 'LambdaUsersLab' satisfies LabName;
const UPLOADS_LAB = 'S3UploadsLab' satisfies LabName;
const DATA_DIR = path.join(__dirname, '..', '.local');

/** What --help prints; the guide tests check the guides' commands against it. */
export const USAGE = `Usage: npm run local -- [${LOCAL_LABS.join(' | ')}] [--port N] [--in-memory] [--data-dir PATH]

Runs a lab on 127.0.0.1 with no AWS account and no Docker, from the synthesized template and the real bundled code.
  ${LAB}   (the default) the REST API on http://127.0.0.1:<port>/prod/, its table in dynalite
  ${UPLOADS_LAB}     S3 (s3rver) on http://127.0.0.1:<port>, DynamoDB (dynalite) on <port>+1; each upload under
                   the prefix invokes the function, as S3 does

  --port N          port to listen on (default: $PORT, else ${DEFAULT_LOCAL_PORT})
  --in-memory       keep the data in memory only (default: kept on disk between runs)
  --data-dir PATH   where to keep it (default: .local/ in the repository, which git ignores)
  --help            show this help`;

export interface LocalRunOptions {
  /** @default 'LambdaUsersLab' */
  readonly lab?: string;
  readonly port: number;
  /** Where the lab keeps its data; undefined for memory only. */
  readonly dataDir?: string;
}

/** Parses the command line; throws with a message that says what is allowed. */
export function parseArgs(args: readonly string[], env: NodeJS.ProcessEnv): LocalRunOptions | 'help' {
  let port = env.PORT;
  let inMemory = false;
  let dataDir = DATA_DIR;
  let lab: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--help' || arg === '-h') return 'help';
    else if (arg === '--in-memory') inMemory = true;
    else if (arg === '--data-dir' && args[i + 1]) dataDir = path.resolve(args[++i]);
    else if (arg === '--port') port = args[++i];
    else if (arg.startsWith('--port=')) port = arg.slice('--port='.length);
    else if (arg.startsWith('-')) throw new Error(`unknown option ${arg}`);
    else if (lab !== undefined) throw new Error(`one lab at a time: got ${lab} and ${arg}`);
    else if (!LOCAL_LABS.includes(arg)) throw new Error(`unknown lab ${JSON.stringify(arg)}: `
      + `npm run local runs ${LOCAL_LABS.join(', ')}`);
    else lab = arg;
  }
  const options = { lab, port: parsePort(port), dataDir: inMemory ? undefined : dataDir };
  if (lab === UPLOADS_LAB) dynamoDbPortOf(options.port);
  return options;
}

/** Synthesizes the lab in-process, with its assets bundled, so the local run never serves a stale template. */
export function synthesizeLab(lab: LabName = LAB): { template: any; assemblyDir: string } {
  // Loaded here, not at the top: --help and a bad argument answer without loading the CDK app or the AWS SDK.
  const { createApp } = require('./labs') as typeof import('./labs');
  const assemblyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'labs-local-'));
  const app = createApp({
    context: { ...cdkJsonContext(), 'aws:cdk:enable-asset-metadata': true },
    outdir: assemblyDir,
    builtinCloudFormationValidation: false,
  }, [lab]);
  return { template: app.synth().getStackByName(lab).template, assemblyDir };
}

export function banner(api: LocalApi, dataDescription: string): string {
  const users = `${api.apiUrl}users`;
  return [
    `${LAB} is running locally (no AWS account needed):`,
    `  API      ${api.apiUrl}`,
    `  Invoke   ${api.origin} (Lambda Invoke API; FunctionName: ${[...api.functions.keys()].join(', ')})`,
    `  Data     ${dataDescription}`,
    '',
    'The chapter\'s commands, with the host swapped:',
    `  curl ${users}`,
    `  curl -X POST ${users} -H "Content-Type: application/json" `
      + `-d '{"userId": "1", "name": "John Doe", "email": "john@example.com"}'`,
    `  curl ${users}/1`,
    `  curl -X DELETE ${users}/1`,
    '',
    'Press Ctrl-C to stop.',
  ].join('\n');
}

function serve(options: LocalRunOptions): Promise<number> {
  return options.lab === UPLOADS_LAB ? serveUploads(options) : serveUsers(options);
}

async function serveUsers(options: LocalRunOptions): Promise<number> {
  // Loaded here, not at the top: --help and a bad argument answer without loading the CDK app or the AWS SDK.
  const { startLocalApi } = require('../lib/local/server') as typeof import('../lib/local/server');
  const { template, assemblyDir } = synthesizeLab();
  let api: LocalApi;
  try {
    api = await startLocalApi({ template, assemblyDir, port: options.port, dataDir: options.dataDir });
  } catch (error) {
    fs.rmSync(assemblyDir, { recursive: true, force: true });
    const inUse = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
    console.error(inUse ? `Port ${options.port} is in use: try npm run local -- --port ${options.port + 1}` : error);
    return 1;
  }
  const data = options.dataDir === undefined ? 'in memory, gone when you stop'
    : `${path.relative(process.cwd(), options.dataDir) || '.'}${path.sep}dynalite, `
      + 'kept between runs (--in-memory for a throwaway run)';
  console.log(banner(api, data));
  stopOnSignal(async () => {
    await api.stop();
    fs.rmSync(assemblyDir, { recursive: true, force: true });
  });
  return 0;
}

async function serveUploads(options: LocalRunOptions): Promise<number> {
  // Loaded here, not at the top: --help and a bad argument answer without loading the CDK app or the AWS SDK.
  const { startUploadsRun, uploadsBanner } = require('../lib/local/uploads-run') as
    typeof import('../lib/local/uploads-run');
  const { template, assemblyDir } = synthesizeLab(UPLOADS_LAB);
  const dataDir = options.dataDir && path.join(options.dataDir, UPLOADS_LAB);
  let run: import('../lib/local/uploads-run').UploadsRun;
  try {
    run = await startUploadsRun({ template, assemblyDir, port: options.port, dataDir });
  } catch (error) {
    fs.rmSync(assemblyDir, { recursive: true, force: true });
    const inUse = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
    console.error(inUse
      ? `Port ${options.port} or ${options.port + 1} is in use: `
        + `try npm run local -- ${UPLOADS_LAB} --port ${options.port + 2}`
      : error);
    return 1;
  }
  const data = dataDir === undefined ? 'in memory and a temporary folder, gone when you stop'
    : `${path.relative(process.cwd(), dataDir) || '.'}${path.sep}{s3rver,dynalite}, `
      + 'kept between runs (--in-memory for a throwaway run)';
  console.log(uploadsBanner(run, data));
  stopOnSignal(async () => {
    await run.stop();
    fs.rmSync(assemblyDir, { recursive: true, force: true });
  });
  return 0;
}

/** Ctrl-C (or SIGTERM) stops the servers cleanly, once. */
function stopOnSignal(stop: () => Promise<void>): void {
  const onSignal = async (signal: string) => {
    console.log(`\n${signal}: stopping...`);
    await stop();
    console.log('Stopped.');
  };
  process.once('SIGINT', () => void onSignal('SIGINT'));
  process.once('SIGTERM', () => void onSignal('SIGTERM'));
}

if (require.main === module) {
  void runCli(USAGE, () => parseArgs(process.argv.slice(2), process.env), serve);
}
