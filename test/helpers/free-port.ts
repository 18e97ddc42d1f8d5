import { AddressInfo, createServer } from 'net';

/** Listens on the loopback port (0: any free one), closes, and resolves with the port; rejects when it is taken. */
export function listenAndClose(port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(port, '127.0.0.1', () => {
      const { port: bound } = server.address() as AddressInfo;
      server.close(() => resolve(bound));
    }).once('error', reject);
  });
}
