#!/usr/bin/env node
// Stands in for `aws` in the guide tests when the AWS CLI is not kept loaded (it is not a Python script, or the test
// compares with a process of its own): runs the real AWS CLI ($GUIDE_AWS_CLI) with --debug, to learn the operations it
// sent, against the local recorder ($GUIDE_ENDPOINT, replacing any --endpoint-url of the guide); prints what a student
// would see, exits with its code, and appends the command and what happened to $GUIDE_LOG as one JSON line.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');

const args = process.argv.slice(2);
const cliArgs = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--endpoint-url') i++;
  else if (!args[i].startsWith('--endpoint-url=')) cliArgs.push(args[i]);
}

// The recorder ties each request to its command by the execution environment in the user agent.
const call = `guide-call-${process.pid}-${Date.now()}`;
const result = spawnSync(process.env.GUIDE_AWS_CLI, [
  '--debug', ...cliArgs, '--endpoint-url', process.env.GUIDE_ENDPOINT,
], {
  encoding: 'utf-8',
  stdio: ['inherit', 'pipe', 'pipe'],
  env: { ...process.env, AWS_EXECUTION_ENV: call },
  maxBuffer: 64 * 1024 * 1024,
});
// --debug lines start with a timestamp, and what the student would see comes after the last of them.
const lines = (result.stderr || '').split('\n');
const debug = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ - /;
const operations = lines
  .map((line) => /Making request for OperationModel\(name=(\w+)\)/.exec(line)?.[1])
  .filter(Boolean);
const lastDebug = lines.reduce((last, line, i) => (debug.test(line) ? i : last), -1);
const stderr = lines.slice(lastDebug + 1)
  .filter((line) => line.trim() !== '' && !/^(\s|Traceback|b'|botocore\.|During handling)/.test(line))
  .join('\n');
process.stdout.write(result.stdout || '');
if (stderr) process.stderr.write(`${stderr}\n`);
const record = { tool: 'aws', args, exit: result.status ?? 1, call, operations, stdout: result.stdout || '', stderr };
fs.appendFileSync(process.env.GUIDE_LOG, `${JSON.stringify(record)}\n`);
process.exit(record.exit);
