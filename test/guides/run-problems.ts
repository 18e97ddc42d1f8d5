import * as fs from 'fs';
import * as path from 'path';
import { LABS } from '../../bin/labs';
import { CLASSROOM_SETUP_STACK } from '../../lib/classroom/student';
import { RecordedRequest } from './aws-recorder';
import { awsProblems, CommandRecord, ScriptRun } from './guide-run';
import { ROOT } from './markdown-blocks';
import {
  cdkCommands, cdkUsage, checkArguments, checkContext, npmScripts, readCdkCli, toolOfScript, toolUsage, Usage,
} from './tool-usage';

const labs = Object.keys(LABS);

export interface Usages {
  readonly cdk: Set<string>;
  /** The options `npx cdk <command>` takes. */
  readonly cdkCommand: (command: string) => Usage;
  readonly tools: Map<string, Usage>;
}

export function loadUsages(): Usages {
  const cli = readCdkCli();
  const tools = new Map<string, Usage>();
  for (const script of Object.values(npmScripts())) {
    const tool = toolOfScript(script);
    // What the tool's --help prints (test/tools-help.test.ts checks that it prints exactly that).
    if (tool && fs.existsSync(path.join(ROOT, tool))) {
      tools.set(tool, toolUsage((require(path.join(ROOT, tool)) as { USAGE: string }).USAGE));
    }
  }
  return { cdk: cdkCommands(cli), cdkCommand: (command) => cdkUsage(cli, command), tools };
}

/**
 * Everything wrong with one run: failed commands, bash's complaints, bad AWS calls, unknown npx/npm usage, empty
 * URLs.
 */
export async function problemsOf(
  run: ScriptRun,
  requests: readonly RecordedRequest[],
  region: string,
  usages: Usages,
): Promise<string[]> {
  const problems = [
    ...run.failures.map((failure) =>
      `block at line ${failure.blockLine}: \`${failure.command}\` exited ${failure.status}`),
    ...run.stderr.split('\n')
      .filter((line) => /^script\.sh: line \d+:/.test(line))
      .map((line) => `bash: ${line.replace(/^script\.sh: /, '')}`),
    ...awsProblems(run.records, requests, region),
  ];
  for (const record of run.records) {
    problems.push(...(await commandProblems(record, usages))
      .map((problem) => `${record.tool} ${record.args.join(' ')}\n  ${problem}`));
  }
  return problems;
}

async function commandProblems(record: CommandRecord, usages: Usages): Promise<string[]> {
  const { tool, args } = record;
  if (tool === 'npx') {
    if (args[0] !== 'cdk') {
      return fs.existsSync(path.join(ROOT, 'node_modules', '.bin', args[0]))
        ? []
        : [`npx ${args[0]}: not installed by npm ci`];
    }
    const command = args[1];
    if (!usages.cdk.has(command)) return [`cdk has no command ${command}`];
    const checked = checkArguments(args.slice(2), usages.cdkCommand(command));
    const stackProblems = checked.positionals
      .filter((stack) => !labs.includes(stack) && stack !== CLASSROOM_SETUP_STACK)
      .map((stack) => `${stack} is not a lab (${labs.join(', ')}) nor ${CLASSROOM_SETUP_STACK}`);
    const contextProblems = checked.values['--context'] || checked.values['-c']
      ? checkContext(checked.positionals, [...checked.values['--context'] ?? [], ...checked.values['-c'] ?? []])
      : [];
    return [...checked.problems, ...stackProblems, ...contextProblems];
  }
  if (tool === 'npm') {
    const scripts = npmScripts();
    const [command, ...rest] = args.filter((arg) => arg !== '--silent');
    if (['ci', 'test', 'install'].includes(command)) return [];
    if (command !== 'run') return [`npm ${command}: the guides use npm ci, npm test and npm run`];
    const [script, ...scriptArgs] = rest;
    if (!(script in scripts)) return [`package.json has no script ${script} (${Object.keys(scripts).join(', ')})`];
    const tool = toolOfScript(scripts[script]);
    const usage = tool ? usages.tools.get(tool) : undefined;
    if (!usage) return [];
    const passed = scriptArgs[0] === '--' ? scriptArgs.slice(1) : scriptArgs;
    if (scriptArgs.length > 0 && scriptArgs[0] !== '--') return ['arguments for the tool go after --'];
    return checkArguments(passed, usage).problems;
  }
  if (tool === 'curl') {
    return args.some((arg) => /^https?:\/\/[^/\s]+/.test(arg)) && !args.includes('')
      ? []
      : ['no URL with a host (a variable that is not set?)'];
  }
  return [];
}
