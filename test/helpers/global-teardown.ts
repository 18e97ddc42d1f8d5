import * as fs from 'fs';
import { SHARED_SYNTH_DIR } from './shared-synth';

/** After the last test file: removes the shared synth folder, and fails the run if the type-check failed. */
export default async function globalTeardown(): Promise<void> {
  const dir = process.env[SHARED_SYNTH_DIR];
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  const typeCheck = globalThis.labsTypeCheck;
  if (!typeCheck) return;
  const code = await typeCheck.exited;
  if (code !== 0) {
    process.stderr.write(`\ntsc (type-check) failed with exit code ${code}:\n${typeCheck.output}\n`);
    throw new Error('the type-check failed: see the tsc output above');
  }
}
