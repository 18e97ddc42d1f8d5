/** The port `npm run local` listens on when neither --port nor PORT says otherwise. */
export const DEFAULT_LOCAL_PORT = 3000;

/** Parses --port (or PORT); throws with a message that says what is allowed. */
export function parsePort(value: string | undefined): number {
  if (value === undefined) return DEFAULT_LOCAL_PORT;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port < 1 || port > 65535) {
    throw new Error(`--port (or PORT) must be a whole number from 1 to 65535, got ${JSON.stringify(value)}`);
  }
  return port;
}

/**
 * The DynamoDB port of a local run that serves two endpoints (S3UploadsLab: S3 on <port>, DynamoDB on the next):
 * the local run listens there and `npm run verify -- --local` reads there. Throws when there is no next port.
 */
export function dynamoDbPortOf(port: number): number {
  if (port >= 65535) throw new Error(
    `--port (or PORT) must be at most 65534 for S3UploadsLab, whose DynamoDB listens on the next port, got ${port}`);
  return port + 1;
}
