#!/usr/bin/env node
import { App, AppProps, Duration } from 'aws-cdk-lib';
import { BeanstalkAppLab } from '../labs/beanstalk-app/beanstalk-app-stack';
import { Ec2AsgAlbLab } from '../labs/ec2-asg-alb/ec2-asg-alb-stack';
import { Ec2WebServerLab } from '../labs/ec2-web-server/ec2-web-server-stack';
import { EcsEventTasksLab } from '../labs/ecs-event-tasks/ecs-event-tasks-stack';
import { FargateServiceLab } from '../labs/fargate-service/fargate-service-stack';
import { LambdaUsersLab } from '../labs/lambda-users/lambda-users-stack';
import { S3UploadsLab } from '../labs/s3-uploads/s3-uploads-stack';
import { SqsWorkersLab } from '../labs/sqs-workers/sqs-workers-stack';
import { applyLabGuardrails } from '../lib/guardrails';
import { LabContext } from '../lib/lab-context';
import { LAB_NAMES, type LabName } from '../lib/lab-names';
import { parseInstanceType } from '../lib/constructs/web-server';
import { parseSweepSchedule } from '../lib/constructs/upload-tasks';
import { fixedImage } from '../lib/constructs/web-server-fleet';
import { name as project } from '../package.json';

/**
 * Every lab, by stack name. Settings come from context values (`-c key=value`); the defaults are the chapter's.
 * Stacks are environment-agnostic: one template deploys to whatever account and region the CLI is pointed at.
 */
export const LABS = {
  Ec2WebServerLab: (app: App, context: LabContext) => new Ec2WebServerLab(app, 'Ec2WebServerLab', {
    instanceType: optional(context.string('instanceType'), parseInstanceType),
    sshCidr: context.string('sshCidr'),
  }),
  Ec2AsgAlbLab: (app: App, context: LabContext) => {
    const desiredCapacity = context.raw('desiredCapacity');
    if (desiredCapacity !== undefined) {
      throw new Error(`desiredCapacity is not a setting of Ec2AsgAlbLab, got ${JSON.stringify(desiredCapacity)}: `
        + `target tracking owns the group's count `
        + '(a desired capacity in the template would reset it on every deploy); '
        + 'to start with more instances, raise minCapacity');
    }
    return new Ec2AsgAlbLab(app, 'Ec2AsgAlbLab', {
      instanceType: optional(context.string('instanceType'), parseInstanceType),
      machineImage: optional(context.string('amiId'), fixedImage),
      minCapacity: context.number('minCapacity'),
      maxCapacity: context.number('maxCapacity'),
      cpuTargetPercent: context.number('cpuTargetPercent'),
    });
  },
  FargateServiceLab: (app: App, context: LabContext) => new FargateServiceLab(app, 'FargateServiceLab', {
    desiredCount: context.number('desiredCount'),
    cpu: context.number('cpu'),
    memoryLimitMiB: context.number('memoryLimitMiB'),
    withLoadBalancer: context.boolean('withLoadBalancer'),
    autoScaling: context.boolean('autoScaling'),
  }),
  BeanstalkAppLab: (app: App, context: LabContext) => new BeanstalkAppLab(app, 'BeanstalkAppLab', {
    appColor: context.string('appColor'),
    platformArn: context.string('platformArn'),
    platformBranch: context.string('platformBranch'),
    platformLookup: context.string('platformLookup'),
    instanceType: optional(context.string('instanceType'), parseInstanceType),
  }),
  LambdaUsersLab: (app: App, context: LabContext) => new LambdaUsersLab(app, 'LambdaUsersLab', {
    throttlingRateLimit: context.number('throttlingRateLimit'),
    throttlingBurstLimit: context.number('throttlingBurstLimit'),
    createApiGatewayLoggingRole: context.boolean('createApiGatewayLoggingRole'),
  }),
  S3UploadsLab: (app: App, context: LabContext) => {
    const maxEventAge = context.number('maxEventAge');
    return new S3UploadsLab(app, 'S3UploadsLab', {
      keyPrefix: context.string('keyPrefix'),
      retryAttempts: context.number('retryAttempts'),
      // In seconds on the command line, like Lambda's MaximumEventAgeInSeconds.
      maxEventAge: maxEventAge === undefined ? undefined : Duration.seconds(maxEventAge),
    });
  },
  EcsEventTasksLab: (app: App, context: LabContext) => {
    const schedule = optional(context.string('schedule'), parseSweepSchedule);
    return new EcsEventTasksLab(app, 'EcsEventTasksLab', {
      sweepSchedule: schedule === 'off' ? undefined : schedule,
      withSweepSchedule: schedule !== 'off',
      notifyEmail: context.string('notifyEmail'),
    });
  },
  SqsWorkersLab: (app: App, context: LabContext) => new SqsWorkersLab(app, 'SqsWorkersLab', {
    maxWorkers: context.number('maxWorkers'),
    maxJobSeconds: context.number('maxJobSeconds'),
  }),
} satisfies Record<LabName, (app: App, context: LabContext) => unknown>;

export type { LabName };

/** The app with the given labs (all by default) and the guardrails every lab passes. */
export function createApp(props: AppProps = {}, labs: readonly LabName[] = LAB_NAMES): App {
  const app = new App(props);
  const context = new LabContext(app);
  for (const lab of labs) LABS[lab](app, context);
  context.checkAllRead();
  applyLabGuardrails(app, { project });
  return app;
}

function optional<T>(value: string | undefined, parse: (value: string) => T): T | undefined {
  return value === undefined ? undefined : parse(value);
}

if (require.main === module) {
  createApp();
}
