import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LABS } from '../../bin/labs';
import { synthLabs } from '../helpers/synth';
import { AwsRecorder, startAwsRecorder } from './aws-recorder';
import {
  AwsCliServer, createShims, findAwsCliV2, runScript, scriptOf, ScriptRun, startAwsCliServer, syntaxErrors,
} from './guide-run';
import { commandBlocks, commandLines, guideFiles, isCleanUp, placeholders } from './markdown-blocks';
import { loadUsages, problemsOf, Usages } from './run-problems';

// Every fenced bash block of README.md and labs/**/*.md, as a student copies it into a terminal: it parses, its AWS CLI
// calls reach a local endpoint as the requests the guide means, its `npx cdk` and `npm run` commands are ones the
// CLI and the tools accept, and its clean-up blocks also work in a new terminal. A new guide or block is covered as is.
jest.setTimeout(240_000);

const REGION = 'eu-west-3';
const ACCOUNT = '123456789012';
const guides = guideFiles()
  .map((guide) => ({ guide, blocks: commandBlocks(guide) }))
  .filter(({ blocks }) => blocks.length > 0);
const labs = Object.keys(LABS);
const cli = findAwsCliV2();
const { templates } = synthLabs();

describe.each(guides)('the command blocks of $guide', ({ blocks }) => {
  test.each(blocks.map((block) => [block.line, block]))(
    'the block at line %i is valid bash (bash -n)',
    (_line, block) => {
      expect(syntaxErrors(block)).toBe('');
    },
  );

  test('no block has a <placeholder> to fill in: in a shell it is a redirection', () => {
    expect(blocks.flatMap((block) => placeholders(block).map((text) => `line ${block.line}: ${text}`))).toEqual([]);
  });
});

describe('the static checks catch the defects students met', () => {
  const block = (text: string) => ({ guide: 'a guide', line: 1, text });

  test('a placeholder at the end of a command is a bash syntax error', () => {
    expect(syntaxErrors(block('aws ssm start-session --target <InstanceId>'))).toMatch(/syntax error/);
  });

  test('a placeholder inside a command is found, though bash parses it as redirections', () => {
    const pasted = block('aws lambda invoke \\\n  --function-name <FunctionName printed at start> \\\n  response.json');
    expect({ syntax: syntaxErrors(pasted), placeholders: placeholders(pasted) })
      .toEqual({ syntax: '', placeholders: ['<FunctionName printed at start>'] });
  });

  test('a heredoc and a process substitution are not placeholders', () => {
    expect(placeholders(block("cat <<EOF\nx\nEOF\ndiff <(ls) <(ls -a)"))).toEqual([]);
  });
});

/**
 * How the guides name a lab's stack: `"${STUDENT:+$STUDENT-}<Lab>"`, which is `<Lab>`, or in a class, after
 * `export STUDENT=<name>`, the student's `<name>-<Lab>`.
 */
const STACK_NAME = /--stack-name "\$\{STUDENT:\+\$STUDENT-\}(\w+)"/;

describe('the outputs the guides read with describe-stacks', () => {
  const reads = guides.flatMap(({ guide, blocks }) => blocks.flatMap((block) => commandLines(block)
    .filter((line) => /describe-stacks/.test(line))
    .flatMap((line) => [...line.matchAll(/OutputKey==\\?'(\w+)\\?'/g)].map((match) => ({
      guide,
      line: block.line,
      stack: STACK_NAME.exec(line)?.[1] ?? '',
      key: match[1],
    })))));

  test('are read somewhere (the check below has something to check)', () => {
    expect(reads.length).toBeGreaterThan(0);
  });

  test('name the stack so that it is the student\'s in a class: "${STUDENT:+$STUDENT-}<Lab>"', () => {
    const named = guides.flatMap(({ guide, blocks }) => blocks.flatMap((block) => commandLines(block)
      .filter((line) => /--stack-name/.test(line))
      .map((line) => ({ guide, line: block.line, prefixed: STACK_NAME.test(line) }))));
    expect(named.length).toBeGreaterThan(0);
    expect(named.filter(({ prefixed }) => !prefixed)).toEqual([]);
  });

  test.each(reads)('$guide line $line: $stack has the output $key', ({ stack, key }) => {
    expect(labs).toContain(stack);
    expect(Object.keys(templates[stack].Outputs ?? {})).toContain(key);
  });
});

if (!cli) {
  process.stderr.write(
    'Guide commands not run: they need AWS CLI v2 on PATH (Debian/Ubuntu: sudo apt-get install awscli).\n',
  );
  test.skip(
    'the guides\' commands run against a local AWS endpoint (needs AWS CLI v2: sudo apt-get install awscli)',
    () => undefined,
  );
} else {
  describe('the guides\' commands, run against a local AWS endpoint', () => {
    let recorder: AwsRecorder;
    let shims: string;
    let cliServer: AwsCliServer | undefined;
    let usages: Usages;
    const runs = new Map<string, Promise<ScriptRun>>();
    const run = (key: string, script: string) => {
      if (!runs.has(key)) runs.set(key, runScript(script, { cli, endpoint: recorder.endpoint, shims, region: REGION }));
      return runs.get(key)!;
    };

    beforeAll(async () => {
      recorder = await startAwsRecorder({ account: ACCOUNT, templates });
      shims = fs.mkdtempSync(path.join(os.tmpdir(), 'guide-shims-'));
      cliServer = await startAwsCliServer(cli);
      createShims(shims, cliServer);
      usages = loadUsages();
      // Start every run at once; the tests below wait for theirs.
      for (const { guide, blocks } of guides) {
        run(guide, scriptOf(blocks));
        for (const block of blocks.filter(isCleanUp)) run(`${guide}:${block.line}`, scriptOf([block]));
      }
    });

    afterAll(async () => {
      await Promise.allSettled(runs.values());
      await recorder?.close();
      cliServer?.close();
      if (shims) fs.rmSync(shims, { recursive: true, force: true });
    });

    test('the AWS CLI kept loaded answers each command as in a process of its own: exit code, output, requests, '
      + 'error message', async () => {
      if (!cliServer) return; // the CLI is not a Python script: every command already runs in a process of its own
      const script = scriptOf([{ guide: 'a guide', line: 1, text: [
        'aws sts get-caller-identity --query Account --output text',
        'aws cloudformation describe-stacks --stack-name LambdaUsersLab '
          + '--query "Stacks[0].Outputs[?OutputKey==\'UsersUrl\'].OutputValue" --output text',
        'aws elasticbeanstalk list-platform-branches '
          + '--query \'PlatformBranchSummaryList[].[BranchName]\' --output text',
        'aws s3 rb s3://no-such-bucket',
        'aws ec2 describe-instances --no-such-option',
      ].join('\n') }]);
      const alone = createShims(fs.mkdtempSync(path.join(os.tmpdir(), 'guide-shims-alone-')));
      const records = async (shimsDir: string) =>
        (await runScript(script, { cli, endpoint: recorder.endpoint, shims: shimsDir, region: REGION }))
          // The message is the last line; above it --debug's traceback in the process of its own, the usage in the
          // server.
          .records.map(({ call: _call, stderr, ...record }) => ({ ...record, message: stderr?.split('\n').pop() }));
      try {
        const [keptLoaded, inItsOwnProcess] = await Promise.all([records(shims), records(alone)]);
        expect(keptLoaded.map((record) => record.exit)).toEqual([0, 0, 0, 1, 252]);
        expect(keptLoaded).toEqual(inItsOwnProcess);
      } finally {
        fs.rmSync(alone, { recursive: true, force: true });
      }
    });

    // Each defect a student met when pasting the guides, as a block: the run must report it.
    describe.each([
      ['the bucket name from `aws configure get region`, empty when the region comes from AWS_REGION',
        'BUCKET=elasticbeanstalk-$(aws configure get region)-'
          + '$(aws sts get-caller-identity --query Account --output text)\naws s3 rb "s3://$BUCKET"',
        /aws configure get region\n {2}exited 1[\s\S]*NoSuchBucket/],
      ['a clean-up block using $AMI_ID from an earlier block, in a new terminal',
        'aws ec2 deregister-image --image-id "$AMI_ID"', /Parameter ImageId is empty/],
      ['a placeholder inside a command',
        'aws lambda invoke --function-name <FunctionName printed at start> response.json',
        /FunctionName: No such file or directory/],
      ['names with spaces printed on one tab-separated line',
        "aws elasticbeanstalk list-platform-branches --query 'PlatformBranchSummaryList[].BranchName' --output text",
        /several values with spaces on one tab-separated line/],
      ['an unquoted platform ARN, which has spaces',
        "ARN=$(aws elasticbeanstalk list-platform-versions --query 'PlatformSummaryList[0].PlatformArn' --output text)"
          + "\nnpx cdk deploy BeanstalkAppLab -c platformArn=$ARN",
        /running is not a lab/],
      ['an output key the stack does not have',
        'URL=$(aws cloudformation describe-stacks --stack-name Ec2AsgAlbLab '
          + '--query "Stacks[0].Outputs[?OutputKey==\'Address\'].OutputValue" --output text)\ncurl "$URL"',
        /curl \n {2}no URL with a host/],
      ['a context value no lab reads', 'npx cdk deploy BeanstalkAppLab -c platformBrunch=x',
        /no lab of BeanstalkAppLab reads the context value platformBrunch/],
      ['a cdk command, a lab and a tool option that do not exist',
        'npx cdk deploi Ec2WebServerLab\nnpm run verify -- NoSuchLab\nnpm run cost -- --frobnicate',
        /cdk has no command deploi[\s\S]*"NoSuchLab" is not one of[\s\S]*unknown option --frobnicate/],
    ])('fails on %s', (_name, text, problem) => {
      test('reported', async () => {
        const found = await problemsOf(
          await run(`defect:${text}`, scriptOf([{ guide: 'a guide', line: 1, text }])),
          recorder.requests,
          REGION,
          usages,
        );
        expect(found.join('\n')).toMatch(problem);
      });
    });

    test('with STUDENT set, every describe-stacks of the guides reads the student\'s stack', async () => {
      const studentTemplates = Object.fromEntries(Object.entries(templates)
        .map(([stackName, template]) => [`alice-${stackName}`, template]));
      const classRecorder = await startAwsRecorder({ account: ACCOUNT, templates: studentTemplates });
      try {
        const lines = guides.flatMap(({ blocks }) => blocks.flatMap((block) => commandLines(block)
          .filter((line) => /describe-stacks/.test(line))));
        const script = scriptOf([{ guide: 'a class', line: 1, text: ['STUDENT=alice', ...lines].join('\n') }]);
        const { records } = await runScript(script, { cli, endpoint: classRecorder.endpoint, shims, region: REGION });
        const reads = records.filter((record) => record.tool === 'aws' && record.args.includes('describe-stacks'));
        expect(reads).toHaveLength(lines.length);
        for (const record of reads) {
          expect({ stack: record.args[record.args.indexOf('--stack-name') + 1], exit: record.exit })
            .toEqual({ stack: expect.stringMatching(/^alice-\w+Lab$/), exit: 0 });
        }
      } finally {
        await classRecorder.close();
      }
    });

    test('with STUDENT set, the EC2 guide tags a student\'s AMI with the student, and deletes only those', async () => {
      const studentTemplates = Object.fromEntries(Object.entries(templates)
        .map(([stackName, template]) => [`alice-${stackName}`, template]));
      const classRecorder = await startAwsRecorder({ account: ACCOUNT, templates: studentTemplates });
      try {
        const ec2Guide = guides.find(({ guide }) => guide.endsWith('ec2-web-server/README.md'))!;
        const script = scriptOf([{ guide: 'a class', line: 1, text: 'export STUDENT=alice' }, ...ec2Guide.blocks]);
        const studentRun = await runScript(script, { cli, endpoint: classRecorder.endpoint, shims, region: REGION });
        expect(await problemsOf(studentRun, classRecorder.requests, REGION, usages)).toEqual([]);
        const argsOf = (operation: string) => studentRun.records
          .filter((record) => record.tool === 'aws' && record.args.includes(operation)).map((record) => record.args);
        expect(argsOf('create-image').flat()).toEqual(expect.arrayContaining([
          'ResourceType=image,Tags=[{Key=lab,Value=Ec2WebServerLab},{Key=student,Value=alice}]',
          'ResourceType=snapshot,Tags=[{Key=lab,Value=Ec2WebServerLab},{Key=student,Value=alice}]',
        ]));
        expect(argsOf('describe-images')[0]).toEqual(expect.arrayContaining(['Name=tag:student,Values=alice']));
      } finally {
        await classRecorder.close();
      }
    });

    describe.each(guides)('$guide', ({ guide, blocks }) => {
      test('every command runs, in order, in one shell', async () => {
        expect(await problemsOf(await run(guide, scriptOf(blocks)), recorder.requests, REGION, usages))
          .toEqual([]);
      });

      const cleanUps = blocks.filter(isCleanUp);
      if (cleanUps.length > 0) {
        test.each(cleanUps.map((block) => [block.line, block]))(
          'the clean-up block at line %i runs alone, as in a new terminal',
          async (line, block) => {
            expect(await problemsOf(
              await run(`${guide}:${line}`, scriptOf([block])),
              recorder.requests,
              REGION,
              usages,
            )).toEqual([]);
          },
        );
      }
    });
  });
}
