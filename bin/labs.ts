#!/usr/bin/env node
import { App, AppProps, Duration, Stack, StackProps, Tags } from 'aws-cdk-lib';
import { BeanstalkAppLab } from '../labs/beanstalk-app/beanstalk-app-stack';
import { Ec2AsgAlbLab } from '../labs/ec2-asg-alb/ec2-asg-alb-stack';
import { Ec2WebServerLab } from '../labs/ec2-web-server/ec2-web-server-stack';
import { EcsEventTasksLab } from '../labs/ecs-event-tasks/ecs-event-tasks-stack';
import { FargateServiceLab } from '../labs/fargate-service/fargate-service-stack';
import { LambdaUsersLab } from '../labs/lambda-users/lambda-users-stack';
import { S3UploadsLab } from '../labs/s3-uploads/s3-uploads-stack';
import { SqsWorkersLab } from '../labs/sqs-workers/sqs-workers-stack';
import { ClassroomSetup } from '../lib/classroom/classroom-setup-stack';
import { studentFromEnvironment } from '../lib/classroom/class-args';
import { STUDENT_CONTEXT_KEY } from '../lib/classroom/classroom-mode';
import { parseTimeToLive, TTL_CONTEXT_KEY } from '../lib/classroom/time-to-live';
import { LabTimeToLive } from '../lib/constructs/lab-time-to-live';
import { CLASSROOM_SETUP_STACK, labStackName, parseStudentName, STUDENT_TAG } from '../lib/classroom/student';
import { applyLabGuardrails } from '../lib/guardrails';
import { LabContext } from '../lib/lab-context';
import { LAB_NAMES, type LabName } from '../lib/lab-names';
import { parseInstanceType } from '../lib/constructs/web-server';
import { parseSweepSchedule } from '../lib/constructs/upload-tasks';
import { fixedImage } from '../lib/constructs/web-server-fleet';
import { name as project } from '../package.json';

/** Builds a lab's stack from the context values it reads; `stack` carries the stack's name. */
type LabFactory = (app: App, context: LabContext, stack: StackProps) => Stack;

/**
 * Every lab, by stack name. Settings come from context values (`-c key=value`); the defaults are the chapter's.
 * Stacks are environment-agnostic: one template deploys to whatever account and region the CLI is pointed at.
 */
export const LABS = {
  Ec2WebServerLab: (app, context, stack) => new Ec2WebServerLab(app, 'Ec2WebServerLab', {
    ...stack,
    instanceType: optional(context.string('instanceType'), parseInstanceType),
    sshCidr: context.string('sshCidr'),
  }),
  Ec2AsgAlbLab: (app, context, stack) => {
    const desiredCapacity = context.raw('desiredCapacity');
    if (desiredCapacity !== undefined) {
      throw new Error(`desiredCapacity is not a setting of Ec2AsgAlbLab, got ${JSON.stringify(desiredCapacity)}: `
        + `target tracking owns the group's count `
        + '(a desired capacity in the template would reset it on every deploy); '
        + 'to start with more instances, raise minCapacity');
    }
    return new Ec2AsgAlbLab(app, 'Ec2AsgAlbLab', {
    ...stack,
      instanceType: optional(context.string('instanceType'), parseInstanceType),
      machineImage: optional(context.string('amiId'), fixedImage),
      minCapacity: context.number('minCapacity'),
      maxCapacity: context.number('maxCapacity'),
      cpuTargetPercent: context.number('cpuTargetPercent'),
    });
  },
  FargateServiceLab: (app, context, stack) => new FargateServiceLab(app, 'FargateServiceLab', {
    ...stack,
    desiredCount: context.number('desiredCount'),
    cpu: context.number('cpu'),
    memoryLimitMiB: context.number('memoryLimitMiB'),
    withLoadBalancer: context.boolean('withLoadBalancer'),
    autoScaling: context.boolean('autoScaling'),
  }),
  BeanstalkAppLab: (app, context, stack) => new BeanstalkAppLab(app, 'BeanstalkAppLab', {
    ...stack,
    appColor: context.string('appColor'),
    platformArn: context.string('platformArn'),
    platformBranch: context.string('platformBranch'),
    platformLookup: context.string('platformLookup'),
    instanceType: optional(context.string('instanceType'), parseInstanceType),
  }),
  LambdaUsersLab: (app, context, stack) => new LambdaUsersLab(app, 'LambdaUsersLab', {
    ...stack,
    throttlingRateLimit: context.number('throttlingRateLimit'),
    throttlingBurstLimit: context.number('throttlingBurstLimit'),
    createApiGatewayLoggingRole: context.boolean('createApiGatewayLoggingRole'),
  }),
  S3UploadsLab: (app, context, stack) => {
    const maxEventAge = context.number('maxEventAge');
    return new S3UploadsLab(app, 'S3UploadsLab', {
    ...stack,
      keyPrefix: context.string('keyPrefix'),
      retryAttempts: context.number('retryAttempts'),
      // In seconds on the command line, like Lambda's MaximumEventAgeInSeconds.
      maxEventAge: maxEventAge === undefined ? undefined : Duration.seconds(maxEventAge),
    });
  },
  EcsEventTasksLab: (app, context, stack) => {
    const schedule = optional(context.string('schedule'), parseSweepSchedule);
    return new EcsEventTasksLab(app, 'EcsEventTasksLab', {
    ...stack,
      sweepSchedule: schedule === 'off' ? undefined : schedule,
      withSweepSchedule: schedule !== 'off',
      notifyEmail: context.string('notifyEmail'),
    });
  },
  SqsWorkersLab: (app, context, stack) => new SqsWorkersLab(app, 'SqsWorkersLab', {
    ...stack,
    maxWorkers: context.number('maxWorkers'),
    maxJobSeconds: context.number('maxJobSeconds'),
  }),
} satisfies Record<LabName, LabFactory>;

export type { LabName };

/** What the context says about every lab at once: classroom mode's student, and the time-to-live. */
export interface AppSettings {
  /** `-c student=<name>`: each lab's stack is `<name>-<Lab>`, tagged `student=<name>`, on the class's network. */
  readonly student?: string;
  /** `-c ttl=<duration>`: each lab's stack deletes itself this long after its deploy. */
  readonly ttl?: Duration;
}

/** Reads the context values that apply to every lab, checked. */
export function readAppSettings(context: LabContext): AppSettings {
  return {
    student: optional(context.string(STUDENT_CONTEXT_KEY), parseStudentName),
    ttl: optional(context.string(TTL_CONTEXT_KEY), parseTimeToLive),
  };
}

/**
 * The app with the given labs (all by default) and the guardrails every lab passes. With every lab and no student,
 * the instructor's ClassroomSetup stack is part of it too; a student's app holds only the student's labs. `now` is
 * when a time-to-live starts counting (tests set it).
 */
export function createApp(props: AppProps = {}, labs?: readonly LabName[], now: Date = new Date()): App {
  const app = new App(props);
  const context = new LabContext(app);
  const { student, ttl } = readAppSettings(context);
  for (const lab of labs ?? LAB_NAMES) {
    const stack = LABS[lab](app, context, { stackName: labStackName(lab, student) });
    if (student !== undefined) Tags.of(stack).add(STUDENT_TAG, student);
    // One `now` for the whole app: every lab of one deploy gets the same deadline.
    if (ttl !== undefined) new LabTimeToLive(stack, 'TimeToLive', { ttl, now });
  }
  if (labs === undefined && student === undefined) new ClassroomSetup(app, CLASSROOM_SETUP_STACK);
  context.checkAllRead();
  applyLabGuardrails(app, { project });
  return app;
}

function optional<T>(value: string | undefined, parse: (value: string) => T): T | undefined {
  return value === undefined ? undefined : parse(value);
}

/**
 * The app's props from the environment. In a class, `export STUDENT=<name>` once: it is the default of
 * `-c student=<name>` for every cdk command (a `-c` value or cdk.context.json, read later, wins).
 */
export function appPropsFromEnvironment(env: NodeJS.ProcessEnv): AppProps {
  const student = studentFromEnvironment(env);
  return student === undefined ? {} : { context: { [STUDENT_CONTEXT_KEY]: student } };
}

if (require.main === module) {
  createApp(appPropsFromEnvironment(process.env));
}
