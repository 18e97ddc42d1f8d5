import { Token } from 'aws-cdk-lib';

/** Memory (MiB) Fargate offers for each CPU size (units of 1/1024 vCPU), as [from, to, step]. */
const FARGATE_SIZES: Record<number, [number, number, number]> = {
  256: [512, 2048, 512], // 512, 1024, 2048 (and 1536, which Fargate does not offer: checked below)
  512: [1024, 4096, 1024],
  1024: [2048, 8192, 1024],
  2048: [4096, 16384, 1024],
  4096: [8192, 30720, 1024],
  8192: [16384, 61440, 4096],
  16384: [32768, 122880, 8192],
};

/** Throws unless Fargate offers a task of this CPU (units of 1/1024 vCPU) and memory (MiB). */
export function checkFargateSize(cpu: number, memory: number): void {
  if (Token.isUnresolved(cpu) || Token.isUnresolved(memory)) return;
  const range = FARGATE_SIZES[cpu];
  const offered = range && memory >= range[0] && memory <= range[1] && (memory - range[0]) % range[2] === 0
    && !(cpu === 256 && memory === 1536);
  if (!offered) {
    const allowed = range
      ? `for cpu ${cpu}: ${range[0]}-${range[1]} MiB in steps of ${range[2]}`
        + `${cpu === 256 ? ' (512, 1024 or 2048)' : ''}`
      : `cpu is one of ${Object.keys(FARGATE_SIZES).join(', ')}`;
    throw new Error(`Fargate does not offer cpu ${cpu} with memory ${memory} MiB; ${allowed}`);
  }
}
