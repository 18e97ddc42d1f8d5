import * as fs from 'fs';
import * as path from 'path';
import { toolArgs } from '../helpers/run-command';
import { ROOT } from './markdown-blocks';
import { CdkCli, cdkCommands, cdkUsage, checkArguments, npmScripts, readCdkCli, toolOfScript } from './tool-usage';

// What the guide tests accept after `npx cdk`: the installed CLI's own declarations of its commands and options.
const cli = readCdkCli();
const deploy = cdkUsage(cli, 'deploy');

test('the CDK CLI\'s commands and their aliases, and no other', () => {
  const commands = cdkCommands(cli);
  expect([...commands]).toEqual(expect.arrayContaining(['bootstrap', 'deploy', 'destroy', 'synth', 'synthesize']));
  expect(commands.has('deploi')).toBe(false);
  expect(commands.has('STACKS')).toBe(false);
});

test('a boolean takes no value, even a counted one: -v before a stack does not swallow the stack', () => {
  expect(checkArguments(['-v', '--all', '--no-rollback', 'Ec2WebServerLab'], deploy))
    .toEqual({ problems: [], positionals: ['Ec2WebServerLab'], values: {} });
});

test('a string, array or number option takes the next argument, or the one after =', () => {
  expect(checkArguments(['--require-approval', 'never', '-c', 'a=1', '--context=b=2', '--concurrency', '2', 'Lab'],
    deploy)).toEqual({
    problems: [],
    positionals: ['Lab'],
    values: { '--require-approval': ['never'], '-c': ['a=1'], '--context': ['b=2'], '--concurrency': ['2'] },
  });
  expect(checkArguments(['--require-approval'], deploy).problems).toEqual(['--require-approval needs a value']);
});

test('an option is its command\'s, a global one, or --help, -h and --version; nothing else', () => {
  expect(checkArguments(['--hotswap-ecs-stabilization-timeout-seconds', '30'], deploy).problems).toEqual([]);
  expect(checkArguments(['-b', 'my-bucket', 'aws://123456789012/eu-west-3'], cdkUsage(cli, 'bootstrap')))
    .toEqual({ problems: [], positionals: ['aws://123456789012/eu-west-3'], values: { '-b': ['my-bucket'] } });
  expect(checkArguments(['--help', '-h', '--version', '--profile', 'lab'], cdkUsage(cli, 'destroy')).problems)
    .toEqual([]);
  expect(checkArguments(['--frobnicate', '-b', 'x'], deploy).problems)
    .toEqual(['unknown option --frobnicate', 'unknown option -b']);
});

describe('read from declarations (a CLI of two commands)', () => {
  const small: CdkCli = {
    globalOptions: { context: { type: 'array', alias: 'c' }, verbose: { type: 'boolean', alias: ['v', 'loud'] } },
    commands: { synth: { aliases: ['synthesize'] }, deploy: { options: { all: { type: 'boolean' } } } },
  };

  test('the commands are the declared names and aliases, and a command without aliases adds only its name', () => {
    expect(cdkCommands(small)).toEqual(new Set(['synth', 'synthesize', 'deploy']));
  });

  test('an option is known by its name and each alias; one without an alias by its name only', () => {
    expect([...cdkUsage(small, 'deploy').options]).toEqual([
      ['--help', false], ['-h', false], ['--version', false],
      ['--context', true], ['-c', true], ['--verbose', false], ['-v', false], ['--loud', false], ['--all', false],
    ]);
  });

  test('a command that declares no options, or none at all, takes the global ones', () => {
    expect([...cdkUsage(small, 'synth').options.keys()]).toEqual(['--help', '-h', '--version', '--context', '-c',
      '--verbose', '-v', '--loud']);
    expect(cdkUsage(small, 'no-such-command')).toEqual(cdkUsage(small, 'synth'));
  });
});

describe('the tools of package.json', () => {
  test.each([
    ['node --require tsx/cjs bin/verify.ts', 'bin/verify.ts'],
    ['node --require tsx/cjs bin/a_b-c.ts', 'bin/a_b-c.ts'],
  ])('a script that runs one file of bin/ with tsx\'s CommonJS hook is a tool: %s', (script, tool) => {
    expect(toolOfScript(script)).toBe(tool);
  });

  test.each([
    'jest',
    'cdk synth -q',
    'tsx bin/verify.ts',
    'node --import tsx bin/verify.ts',
    'node --require tsx/cjsx bin/verify.ts',
    'node --require tsx/cjs bin/verify.js',
    'node --require tsx/cjs bin/verify.ts --local',
    'node --require tsx/cjs bin/sub/verify.ts',
    'node --require tsx/cjs lib/bench/floor-app.ts',
    'xnode --require tsx/cjs bin/verify.ts',
    'node --require tsx/cjs bin/.ts',
  ])('anything else is not: %s', (script) => {
    expect(toolOfScript(script)).toBeUndefined();
  });

  test('every script that runs a file of bin/ is a tool, started as cdk.json starts the app and the tests the tools',
    () => {
      const scripts = Object.values(npmScripts()).filter((script) => /(^| )bin\/\S+\.ts( |$)/.test(script));
      expect(scripts.map(toolOfScript)).toEqual(scripts.map((script) => script.split(' ').pop()));
      expect(scripts.length).toBeGreaterThanOrEqual(8);
      const app: string = JSON.parse(fs.readFileSync(path.join(ROOT, 'cdk.json'), 'utf-8')).app;
      for (const command of [...scripts, app]) {
        const [node, option, hook, file] = command.split(' ');
        expect([node, ...toolArgs(file)]).toEqual(['node', option, require.resolve(hook, { paths: [ROOT] }), file]);
      }
    });
});
