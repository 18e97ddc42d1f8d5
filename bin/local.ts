#!/usr/bin/env node
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { cdkJsonContext } from '../lib/cdk-json';
import { runCli } from '../lib/cli';
import { DEFAULT_LOCAL_PORT, parsePort } from '../lib/local/port';
import type { LocalApi } from '../lib/local/server';

const LAB = 'LambdaUsersLab';
const DATA_DIR = path.join(__dirname, '..', '.local');

const USAGE = `Usage: npm run local -- [--port N] [--in-memory] [--data-dir PATH]

Serves the ${LAB} on http://127.0.0.1:<port>/prod/ with no AWS account and no Docker: the routes come from the
synthesized template, requests reach the real bundled handler, and the table lives in dynalite.

  --port N          port to listen on (default: $PORT, else ${DEFAULT_LOCAL_PORT})
  --in-memory       keep the table in memory only (default: kept on disk between runs)
  --data-dir PATH   where to keep it (default: .local/ in the repository, which git ignores)
  --help            show this help`;

export interface LocalRunOptions {
  readonly port: number;
  /** Where dynalite keeps the table; undefined for memory only. */
  readonly dataDir?: string;
}

/** Parses the command line; throws with a message that says what is allowed. */
export function parseArgs(args: readonly string[], env: NodeJS.ProcessEnv): LocalRunOptions | 'help' {
  let port = env.PORT;
  let inMemory = false;
  let dataDir = DATA_DIR;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--help' || arg === '-h') return 'help';
    else if (arg === '--in-memory') inMemory = true;
    else if (arg === '--data-dir' && args[i + 1]) dataDir = path.resolve(args[++i]);
    else if (arg === '--port') port = args[++i];
    else if (arg.startsWith('--port=')) port = arg.slice('--port='.length);
    else throw new Error(`unknown option ${arg}`);
  }
  return { port: parsePort(port), dataDir: inMemory ? undefined : dataDir };
}

/** Synthesizes the lab in-process, with its assets bundled, so the local run never serves a stale template. */
export function synthesizeLab(): { template: any; assemblyDir: string } {
  // Loaded here, not at the top: --help and a bad argument answer without loading the CDK app or the AWS SDK.
  const { createApp } = require('./labs') as typeof import('./labs');
  const assemblyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'labs-local-'));
  const app = createApp({
    context: { ...cdkJsonContext(), 'aws:cdk:enable-asset-metadata': true },
    outdir: assemblyDir,
    builtinCloudFormationValidation: false,
  }, [LAB]);
  return { template: app.synth().getStackByName(LAB).template, assemblyDir };
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
    `  curl -X POST ${users} -H "Content-Type: application/json" -d '{"userId": "1", "name": "John Doe", "email": "john@example.com"}'`,
    `  curl ${users}/1`,
    `  curl -X DELETE ${users}/1`,
    '',
    'Press Ctrl-C to stop.',
  ].join('\n');
}

async function serve(options: LocalRunOptions): Promise<number> {
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
    : `${path.relative(process.cwd(), options.dataDir) || '.'}${path.sep}dynalite, kept between runs (--in-memory for a throwaway run)`;
  console.log(banner(api, data));

  const stop = async (signal: string) => {
    console.log(`\n${signal}: stopping...`);
    await api.stop();
    fs.rmSync(assemblyDir, { recursive: true, force: true });
    console.log('Stopped.');
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  return 0;
}

if (require.main === module) {
  void runCli(USAGE, () => parseArgs(process.argv.slice(2), process.env), serve);
}
