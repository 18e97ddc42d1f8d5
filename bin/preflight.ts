#!/usr/bin/env node
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { templateOnlyContext } from '../lib/cdk-json';
import { runCli } from '../lib/cli';
import { studentFromEnvironment, studentOption } from '../lib/classroom/class-args';
import { labStackName, STUDENT_NAME_RULE } from '../lib/classroom/student';
import { isLabName, LAB_NAMES, type LabName } from '../lib/lab-names';
import type { PreflightTemplate } from '../lib/preflight/lab-needs';

/** The largest class `--students` counts: beyond it, ask AWS about the account's quotas and API rates directly. */
export const MAX_STUDENTS = 100;

/** What --help prints; the guide tests check the guides' commands against it. */
export const USAGE = `Usage: npm run preflight -- <LabStack> [--student <name>] [--students N]

Before \`npx cdk deploy <LabStack>\`, checks with read-only AWS calls that your account and region can take the lab:
credentials and region, the services and platform the lab needs, the CDK bootstrap version, the service-linked
roles, the vCPU quotas against what the lab launches at its maximum, and (once deployed) a Beanstalk environment's
platform version and a time-to-live's CloudFormation service role; and prints the lab's idle cost. One line per
check. Exits 0 when nothing failed, 1 when a check failed, 2 when it could not check (no credentials, no region).

Classroom mode (a class deploying with -c student=<name>) checks a student's copy: the ClassroomSetup stack it
imports from, and whether your identity may do what the students' policy allows (simulated with IAM). For the
instructor before class, --students N counts what N copies need against the account's quotas (VPCs, Elastic IPs,
Application Load Balancers, Lambda concurrency, vCPUs) and names each increase to request.

  <LabStack>         ${LAB_NAMES.join(', ')}
  --student <name>   check that student's copy, the stack <name>-<LabStack> (${STUDENT_NAME_RULE};
                     default: $STUDENT)
  --students N       count the quotas of N students' copies, 1 to ${MAX_STUDENTS}

AWS credentials and region come from the usual places: AWS_PROFILE, AWS_REGION, \`aws configure\`, \`aws sso login\`.`;

export interface PreflightArgs {
  readonly lab: LabName;
  /** Set only with --student: the stack checked is `<student>-<lab>`. */
  readonly student?: string;
  /** Set only with --students: how many copies the quotas must hold. */
  readonly students?: number;
}

/** The lab named on the command line and the classroom options; throws with what is allowed. */
export function parseArgs(args: readonly string[], env: NodeJS.ProcessEnv = {}): PreflightArgs | 'help' {
  if (args.includes('--help') || args.includes('-h')) return 'help';
  const labs: string[] = [];
  let student: string | undefined;
  let students: number | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--student') student = studentOption(args[++i]);
    else if (arg === '--students') students = parseStudents(args[++i]);
    else if (arg.startsWith('-')) throw new Error(`unknown option ${arg}`);
    else labs.push(arg);
  }
  if (labs.length === 0) throw new Error('which lab? Name its stack');
  if (labs.length > 1) throw new Error(`one lab at a time: got ${labs.join(' and ')}`);
  const [lab] = labs;
  if (!isLabName(lab)) throw new Error(`unknown lab ${JSON.stringify(lab)}`);
  student ??= studentFromEnvironment(env);
  return { lab, ...(student !== undefined ? { student } : {}), ...(students !== undefined ? { students } : {}) };
}

/** The value of --students: a whole number of students from 1 to MAX_STUDENTS. */
function parseStudents(value: string | undefined): number {
  if (value === undefined || !/^[1-9][0-9]*$/.test(value) || Number(value) > MAX_STUDENTS) {
    throw new Error(`--students must be a whole number from 1 to ${MAX_STUDENTS}, got ${JSON.stringify(value ?? '')}`);
  }
  return Number(value);
}

/** The student name the template of a class count is synthesized for: every copy's template is alike. */
const ANY_STUDENT = 'student';

/**
 * The lab's template as `cdk synth` writes it (without the validator), synthesized in-process so it is never stale;
 * in classroom mode the student's copy (`-c student=<name>`). Nothing is bundled: only the assets' hashes would differ.
 */
function synthesizeLab(lab: LabName, student?: string): PreflightTemplate {
  const { createApp } = require('./labs') as typeof import('./labs');
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'labs-preflight-'));
  const context = templateOnlyContext(student !== undefined ? { student } : {});
  try {
    return createApp({ context, outdir, builtinCloudFormationValidation: false }, [lab])
      .synth()
      .getStackByName(labStackName(lab, student))
      .template;
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  void runCli(USAGE, () => parseArgs(process.argv.slice(2), process.env), ({ lab, student, students }) => {
    // Loaded here, not at the top: --help and a bad argument answer without loading the CDK app or the AWS SDK.
    const { awsClients } = require('../lib/aws/clients') as typeof import('../lib/aws/clients');
    const { runPreflight } = require('../lib/preflight/run-preflight') as
      typeof import('../lib/preflight/run-preflight');
    const classroom = student !== undefined || students !== undefined;
    return runPreflight({
      lab,
      student,
      students,
      template: () => synthesizeLab(lab, student ?? (classroom ? ANY_STUDENT : undefined)),
      aws: awsClients(),
      print: (line) => console.log(line),
    });
  });
}
