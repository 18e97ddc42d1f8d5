import { createServer, IncomingMessage, Server, ServerResponse } from 'http';
import { AddressInfo } from 'net';

export interface StandIn {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  readonly port: number;
  close(): Promise<void>;
}

/** A local HTTP server standing in for a deployed endpoint (an instance, a load balancer, a task). */
export async function serveStandIn(
  handler: ((request: IncomingMessage, response: ServerResponse) => void) | Server,
): Promise<StandIn> {
  const server = handler instanceof Server ? handler : createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
