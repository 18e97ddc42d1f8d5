import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { S3ClientConfig } from '@aws-sdk/client-s3';

// s3rver ships no types; this is the part of its API the tests use.
interface S3rverServer {
  run(): Promise<{ address: string; port: number }>;
  close(): Promise<void>;
  /** s3rver is a Koa app: it emits each event notification (ObjectCreated, ObjectRemoved) as 'event'. */
  on(name: 'event', listener: (event: { Records: Array<{ eventName: string; s3: { object: { key: string } } }> }) => void): void;
  readonly httpServer?: import('http').Server;
}
const S3rver: new (options: { address: string; port: number; silent: boolean; directory: string; configureBuckets: Array<{ name: string }> }) => S3rverServer = require('s3rver');

/** The only key pair s3rver accepts: it checks request signatures. */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

export interface LocalS3 {
  /** http://127.0.0.1:<port> */
  readonly endpoint: string;
  stop(): Promise<void>;
}

/** SDK settings for s3rver: its key pair, and path-style requests (it serves no bucket host names). */
export function localS3ClientConfig(endpoint: string): S3ClientConfig {
  return { endpoint, region: 'us-east-1', forcePathStyle: true, credentials: S3RVER_CREDENTIALS };
}

export type S3rverEventListener = Parameters<S3rverServer['on']>[1];

/**
 * Starts s3rver in this process on a free loopback port, with the buckets given, in a new temporary directory;
 * `onEvent` receives its event notifications as s3rver writes them (keys not encoded: see lib/local/s3-events.ts).
 */
export async function startS3rver(buckets: string[], onEvent?: S3rverEventListener): Promise<LocalS3> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 's3rver-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: buckets.map((name) => ({ name })) });
  if (onEvent) server.on('event', onEvent);
  try {
    const { port } = await server.run();
    return {
      endpoint: `http://127.0.0.1:${port}`,
      // Closing the server waits for open sockets; the SDK clients' idle keep-alive sockets would hold it open.
      stop: async () => {
        const closed = server.close();
        server.httpServer?.closeAllConnections();
        await closed;
        fs.rmSync(directory, { recursive: true, force: true });
      },
    };
  } catch (error) {
    fs.rmSync(directory, { recursive: true, force: true });
    throw error;
  }
}
