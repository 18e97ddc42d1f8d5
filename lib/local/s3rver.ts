import type { Server } from 'http';

/** An event notification as s3rver writes it: one record, its key not encoded (see s3-events.ts). */
export interface S3rverEvent {
  readonly Records: ReadonlyArray<{
    readonly eventName: string;
    readonly s3: { readonly bucket: { readonly name: string }; readonly object: { readonly key: string } };
  }>;
}

// s3rver ships no types; this is the part of its API the local run uses.
interface S3rverServer {
  run(): Promise<{ address: string; port: number }>;
  close(): Promise<void>;
  /** s3rver is a Koa app: it emits each event notification (ObjectCreated, ObjectRemoved) as 'event'. */
  on(name: 'event', listener: (event: S3rverEvent) => void): void;
  readonly httpServer?: Server;
}
type S3rverClass = new (options: {
  address: string; port: number; silent: boolean; directory: string; configureBuckets: Array<{ name: string }>
}) => S3rverServer;

/** The only key pair s3rver accepts: it checks request signatures. */
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/** SDK settings for s3rver: its key pair, and path-style requests (it serves no bucket host names). */
export function localS3ClientConfig(endpoint: string) {
  return { endpoint, region: 'us-east-1', forcePathStyle: true, credentials: S3RVER_CREDENTIALS };
}

export interface LocalS3 {
  /** http://127.0.0.1:<port> */
  readonly endpoint: string;
  /** Stops accepting requests and closes open connections; the objects stay in the directory. */
  stop(): Promise<void>;
}

/**
 * Starts s3rver in this process on 127.0.0.1:<port> (0: a free one), its objects in `directory`, with these
 * buckets.
 */
export async function startS3rver(
  port: number, directory: string, buckets: string[], onEvent: (event: S3rverEvent) => void,
): Promise<LocalS3> {
  // Loaded here: verify imports this file for the client settings and must not load s3rver.
  const S3rver = require('s3rver') as S3rverClass;
  const server = new S3rver({
    address: '127.0.0.1',
    port,
    silent: true,
    directory,
    configureBuckets: buckets.map((name) => ({ name })),
  });
  server.on('event', onEvent);
  const address = await server.run();
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    // Closing the server waits for open sockets; idle keep-alive sockets of SDK clients would hold it open.
    stop: async () => {
      const closed = server.close();
      server.httpServer?.closeAllConnections();
      await closed;
    },
  };
}
