#!/usr/bin/env node
// Stands in for a command a guide runs (aws, npx, npm, curl, session-manager-plugin) when the guide tests run its
// command blocks: appends what was run to $GUIDE_LOG as one JSON line. `aws` runs the real AWS CLI against the local
// recorder ($GUIDE_ENDPOINT, replacing any --endpoint-url of the guide) with --debug, to learn the operations it sent;
// the others only record their arguments and succeed, printing nothing.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');

const [tool, ...args] = process.argv.slice(2);
const record = { tool, args, exit: 0 };

if (tool === 'aws') {
  const call = `guide-call-${process.pid}-${Date.now()}`;
  const cliArgs = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--endpoint-url') i++;
    else if (args[i].startsWith('--endpoint-url=')) continue;
    else cliArgs.push(args[i]);
  }
  const result = spawnSync(process.env.GUIDE_AWS_CLI, ['--debug', ...cliArgs, '--endpoint-url', process.env.GUIDE_ENDPOINT], {
    encoding: 'utf-8',
    stdio: ['inherit', 'pipe', 'pipe'],
    env: { ...process.env, AWS_EXECUTION_ENV: call },
    maxBuffer: 64 * 1024 * 1024,
  });
  // --debug lines start with a timestamp, and what the student would see comes after the last of them.
  const lines = (result.stderr || '').split('\n');
  const debug = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ - /;
  const operations = lines.map((line) => /Making request for OperationModel\(name=(\w+)\)/.exec(line)?.[1]).filter(Boolean);
  const lastDebug = lines.reduce((last, line, i) => (debug.test(line) ? i : last), -1);
  const stderr = lines.slice(lastDebug + 1).filter((line) => line.trim() !== '' && !/^(\s|Traceback|b'|botocore\.|During handling)/.test(line)).join('\n');
  process.stdout.write(result.stdout || '');
  if (stderr) process.stderr.write(`${stderr}\n`);
  Object.assign(record, { call, operations, stdout: result.stdout || '', stderr, exit: result.status ?? 1 });
}

fs.appendFileSync(process.env.GUIDE_LOG, `${JSON.stringify(record)}\n`);
process.exit(record.exit);
