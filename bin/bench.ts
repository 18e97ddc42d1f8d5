#!/usr/bin/env node
import * as fs from 'fs';
import { synthesizeLab } from './local';
import { appBench } from '../lib/bench/app-bench';
import { BenchSection, formatRow } from '../lib/bench/measure';
import { bundleIn, usersFunctionBench } from '../lib/bench/users-function-bench';

/** Sections in the order they run; each prints its figures with the target it is held to. */
const SECTIONS: BenchSection[] = [
  usersFunctionBench(() => {
    const { assemblyDir } = synthesizeLab();
    return { file: bundleIn(assemblyDir), cleanup: () => fs.rmSync(assemblyDir, { recursive: true, force: true }) };
  }),
  appBench,
];

async function main(): Promise<void> {
  let missed = 0;
  for (const section of SECTIONS) {
    console.log(`\n${section.title}`);
    for (const row of await section.run()) {
      console.log(formatRow(row));
      if (row.target !== undefined && row.value > row.target) missed++;
    }
  }
  console.log(missed === 0 ? '\nAll targets met.' : `\n${missed} target(s) missed.`);
  process.exitCode = missed === 0 ? 0 : 1;
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 2;
});
