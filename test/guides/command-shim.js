#!/usr/bin/env node
// Stands in for a command a guide runs (aws, npx, npm, curl, session-manager-plugin) when the guide tests run its
// command blocks: appends what was run to $GUIDE_LOG as one JSON line. `aws` runs the real AWS CLI against the local
// recorder ($GUIDE_ENDPOINT, replacing any --endpoint-url of the guide): in the CLI kept loaded by aws-cli-server.py
// when $GUIDE_AWS_CLI_SOCKET is set, else as a process of its own ($GUIDE_AWS_CLI). The other tools only record
// their arguments and succeed, printing nothing.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const net = require('net');

const [tool, ...args] = process.argv.slice(2);
const record = { tool, args, exit: 0 };

/** What the AWS CLI printed for one command line, its exit code and the operations it sent. */
function runAwsCli(cliArgs, env) {
  return process.env.GUIDE_AWS_CLI_SOCKET ? askAwsCliServer(cliArgs, env) : Promise.resolve(spawnAwsCli(cliArgs, env));
}

/** The answer of aws-cli-server.py, which runs the command in the environment and folder of this shell. */
function askAwsCliServer(cliArgs, env) {
  return new Promise((resolve, reject) => {
    const socket = net.createConnection(process.env.GUIDE_AWS_CLI_SOCKET);
    let answer = '';
    socket.setEncoding('utf-8');
    socket.on('data', (chunk) => { answer += chunk; });
    socket.once('error', reject);
    socket.once('end', () => resolve(JSON.parse(answer)));
    socket.write(`${JSON.stringify({ args: cliArgs, env, cwd: process.cwd() })}\n`);
  });
}

/** The AWS CLI in a process of its own, with --debug to learn the operations it sent. */
function spawnAwsCli(cliArgs, env) {
  const result = spawnSync(process.env.GUIDE_AWS_CLI, ['--debug', ...cliArgs], {
    encoding: 'utf-8', stdio: ['inherit', 'pipe', 'pipe'], env, maxBuffer: 64 * 1024 * 1024,
  });
  // --debug lines start with a timestamp, and what the student would see comes after the last of them.
  const lines = (result.stderr || '').split('\n');
  const debug = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ - /;
  const operations = lines.map((line) => /Making request for OperationModel\(name=(\w+)\)/.exec(line)?.[1]).filter(Boolean);
  const lastDebug = lines.reduce((last, line, i) => (debug.test(line) ? i : last), -1);
  const stderr = lines.slice(lastDebug + 1).filter((line) => line.trim() !== '' && !/^(\s|Traceback|b'|botocore\.|During handling)/.test(line));
  return { stdout: result.stdout || '', stderr: stderr.map((line) => `${line}\n`).join(''), exit: result.status ?? 1, operations };
}

async function main() {
  if (tool === 'aws') {
    // The recorder ties each request to its command by the execution environment in the user agent.
    const call = `guide-call-${process.pid}-${Date.now()}`;
    const cliArgs = [];
    for (let i = 0; i < args.length; i++) {
      if (args[i] === '--endpoint-url') i++;
      else if (args[i].startsWith('--endpoint-url=')) continue;
      else cliArgs.push(args[i]);
    }
    const result = await runAwsCli([...cliArgs, '--endpoint-url', process.env.GUIDE_ENDPOINT], { ...process.env, AWS_EXECUTION_ENV: call });
    process.stdout.write(result.stdout);
    process.stderr.write(result.stderr);
    Object.assign(record, { call, operations: result.operations, stdout: result.stdout, stderr: result.stderr.trim(), exit: result.exit });
  }
  fs.appendFileSync(process.env.GUIDE_LOG, `${JSON.stringify(record)}\n`);
  process.exitCode = record.exit;
}

main();
