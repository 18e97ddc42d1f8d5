import { AddressInfo } from 'net';
import { DynamoDbEngine } from './dynamodb-engine';

// dynalite ships no types; this is the part of its API the tests use.
const dynalite: (options: { path?: string; createTableMs?: number; deleteTableMs?: number }) => import('http').Server =
  require('dynalite');

/**
 * Starts dynalite (DynamoDB on LevelDB, in-process) on 127.0.0.1:<port> (by default a free port); in memory unless
 * `path` is given.
 */
export async function startDynalite(path?: string, port = 0): Promise<DynamoDbEngine> {
  const server = dynalite({ path, createTableMs: 0, deleteTableMs: 0 });
  await new Promise<void>((resolve, reject) => server.listen(port, '127.0.0.1', () => resolve()).once('error', reject));
  return {
    name: 'dynalite',
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    // Closing the server also closes LevelDB, after the writes under way; idle keep-alive sockets would hold it open.
    stop: async () => {
      const closed = new Promise<void>((resolve, reject) => server.close(
        (error) => (error ? reject(error) : resolve())));
      server.closeAllConnections();
      await closed;
    },
  };
}
