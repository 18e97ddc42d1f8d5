import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LocalS3, S3rverEvent, startS3rver as startLocalS3 } from '../../lib/local/s3rver';

export { localS3ClientConfig, S3RVER_CREDENTIALS, type LocalS3 } from '../../lib/local/s3rver';

/**
 * s3rver as the local run starts it (lib/local/s3rver.ts), on a free loopback port with the buckets given, in a new
 * temporary directory that stop() removes; `onEvent` receives its event notifications as s3rver writes them (keys
 * not encoded: see lib/local/s3-events.ts).
 */
export async function startS3rver(
  buckets: string[],
  onEvent: (event: S3rverEvent) => void = () => undefined,
): Promise<LocalS3> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 's3rver-'));
  try {
    const s3 = await startLocalS3(0, directory, buckets, onEvent);
    return {
      endpoint: s3.endpoint,
      stop: async () => {
        await s3.stop();
        fs.rmSync(directory, { recursive: true, force: true });
      },
    };
  } catch (error) {
    fs.rmSync(directory, { recursive: true, force: true });
    throw error;
  }
}
