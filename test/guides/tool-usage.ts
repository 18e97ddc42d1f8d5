import * as fs from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { LABS, LabName, readAppSettings } from '../../bin/labs';
import { labStackName } from '../../lib/classroom/student';
import { cdkJsonContext, WITHOUT_BUNDLING } from '../../lib/cdk-json';
import { LabContext } from '../../lib/lab-context';
import { testAppProps } from '../helpers/synth';
import { ROOT } from './markdown-blocks';

/** What a command takes: from its `--help` (the project's tools) or its declarations (the CDK CLI). */
export interface Usage {
  /** Every option and alias (`--context`, `-c`), and whether it takes a value. */
  readonly options: ReadonlyMap<string, boolean>;
  /** The allowed values of its positional arguments, where the help enumerates them (`<LabStack>   A, B, C`). */
  readonly positionals?: readonly string[];
}

/** An option as the CDK CLI declares it (yargs): a boolean takes no value, and `--no-<name>` negates it. */
export interface CdkOption {
  readonly type: 'string' | 'array' | 'boolean' | 'number';
  readonly alias?: string | readonly string[];
}

export interface CdkCommand {
  readonly aliases?: readonly string[];
  readonly options?: Record<string, CdkOption>;
}

/**
 * The CDK CLI's commands and options as the CLI declares them: the file its yargs command line and its `--help` are
 * generated from. Read from the installed CLI, instead of five `cdk <command> --help` runs of about 1.5 s of CPU each.
 */
export interface CdkCli {
  readonly globalOptions: Record<string, CdkOption>;
  readonly commands: Record<string, CdkCommand>;
}

export function readCdkCli(): CdkCli {
  return JSON.parse(fs.readFileSync(
    path.join(ROOT, 'node_modules', 'aws-cdk', 'lib', 'cli', 'cli-type-registry.json'), 'utf-8'));
}

/** The CDK CLI's commands and their aliases (`synthesize` for `synth`). */
export function cdkCommands(cli: CdkCli): Set<string> {
  return new Set(Object.entries(cli.commands).flatMap(([name, command]) => [name, ...command.aliases ?? []]));
}

/**
 * The options of a CDK command: its own, the global ones, and yargs' --help and --version; each by its name and
 * aliases (`--context`, `-c`).
 */
export function cdkUsage(cli: CdkCli, command: string): Usage {
  const options = new Map<string, boolean>([['--help', false], ['-h', false], ['--version', false]]);
  const declared = { ...cli.globalOptions, ...cli.commands[command]?.options };
  for (const [name, option] of Object.entries(declared)) {
    const takesValue = option.type !== 'boolean';
    for (const alias of [name, ...[option.alias ?? []].flat()]) {
      options.set(alias.length === 1 ? `-${alias}` : `--${alias}`, takesValue);
    }
  }
  return { options };
}

/**
 * The options of one of the repository's tools, from its `--help`: `--port N` takes a value, `--markdown` does not;
 * a positional whose definition line lists names (`<LabStack>   Ec2WebServerLab, ...`) allows only those.
 */
export function toolUsage(help: string): Usage {
  const options = new Map<string, boolean>([['--help', false], ['-h', false]]);
  const lines = help.split('\n');
  const usageLine = lines.find((line) => line.startsWith('Usage:')) ?? '';
  const optionLines = lines.filter((line) => /^\s+-/.test(line));
  for (const text of [usageLine, ...optionLines]) {
    for (const match of text.matchAll(/(?<![\w-])(--?[a-z][\w-]*)(?:[ =](<[^>]+>|[A-Z]+)(?![\w]))?/g)) {
      options.set(match[1], options.get(match[1]) || match[2] !== undefined);
    }
  }
  const enumerated = lines.map((line) => /^\s+<[\w-]+>\s{2,}(.+)$/.exec(line)?.[1])
    .find((list) => list !== undefined && /^[A-Z]\w+(, [A-Z]\w+)+$/.test(list));
  return { options, positionals: enumerated?.split(', ') };
}

/** Problems with one use of a command against its usage: unknown options, a missing value, a positional not allowed. */
export function checkArguments(
  args: readonly string[],
  usage: Usage,
): { problems: string[]; positionals: string[]; values: Record<string, string[]> } {
  const problems: string[] = [];
  const positionals: string[] = [];
  const values: Record<string, string[]> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg.startsWith('-') && arg.length > 1) {
      const [name, inline] = arg.startsWith('--') && arg.includes('=')
        ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
        : [arg, undefined];
      const bare = name.startsWith('--no-') && usage.options.has(`--${name.slice(5)}`) ? `--${name.slice(5)}` : name;
      if (!usage.options.has(bare)) {
        problems.push(`unknown option ${name}`);
        continue;
      }
      if (usage.options.get(bare)) {
        const value = inline ?? args[++i];
        if (value === undefined || value === '') problems.push(`${name} needs a value`);
        (values[bare] ??= []).push(value ?? '');
      }
    } else {
      positionals.push(arg);
      if (arg === '') problems.push('an empty argument (a variable that is not set?)');
      else if (usage.positionals && !usage.positionals.includes(arg)) {
        problems.push(`${JSON.stringify(arg)} is not one of ${usage.positionals.join(', ')}`);
      }
    }
  }
  return { problems, positionals, values };
}

/**
 * Problems with `-c key=value` values for the named labs: a key no lab of them reads, or a value its lab rejects.
 * Each lab is built with exactly those values (no bundling, no synth), recording the keys it reads.
 */
export function checkContext(labs: readonly string[], pairs: readonly string[]): string[] {
  const problems: string[] = [];
  const context: Record<string, string> = {};
  for (const pair of pairs) {
    const match = /^([\w:@/.-]+)=(.*)$/s.exec(pair);
    if (!match) problems.push(`-c ${JSON.stringify(pair)} is not KEY=VALUE`);
    else context[match[1]] = match[2];
  }
  const read = new Set<string>(Object.keys(cdkJsonContext()));
  for (const lab of labs.filter((name): name is LabName => name in LABS)) {
    const app = new App(testAppProps({ context: { ...context, ...WITHOUT_BUNDLING } }));
    try {
      const recording = new RecordingContext(app, read);
      const { student } = readAppSettings(recording);
      LABS[lab](app, recording, { stackName: labStackName(lab, student) });
    } catch (error) {
      problems.push(`${lab} rejects ${Object.entries(context).map(([key, value]) => `${key}=${value}`).join(' ')}: `
        + `${(error as Error).message}`);
    }
  }
  for (const key of Object.keys(context)) {
    if (!read.has(key)) problems.push(`no lab of ${labs.join(', ')} reads the context value ${key}`);
  }
  return problems;
}

class RecordingContext extends LabContext {
  constructor(app: App, private readonly read: Set<string>) {
    super(app);
  }

  public string(key: string) { this.read.add(key); return super.string(key); }
  public number(key: string) { this.read.add(key); return super.number(key); }
  public boolean(key: string) { this.read.add(key); return super.boolean(key); }
}

/** package.json's scripts; a script `node --require tsx/cjs bin/<tool>.ts` is one of the repository's tools. */
export function npmScripts(): Record<string, string> {
  return JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf-8')).scripts;
}

export function toolOfScript(script: string): string | undefined {
  return /^node --require tsx\/cjs (bin\/[\w-]+\.ts)$/.exec(script)?.[1];
}
