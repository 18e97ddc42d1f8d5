import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Template } from 'aws-cdk-lib/assertions';
import { LabBucket } from '../../lib/constructs/lab-bucket';
import { parseSweepSchedule, UploadTasks, UploadTasksProps } from '../../lib/constructs/upload-tasks';
import { testAppProps } from '../helpers/synth';

// The construct's own settings and checks; test/labs/ecs-event-tasks.test.ts reads the lab's whole template.
const newStack = () => new Stack(new App(testAppProps({ context: { 'aws:cdk:bundling-stacks': [] } })), 'TestLab');
const build = (props: Omit<UploadTasksProps, 'vpc'> = {}) => {
  const stack = newStack();
  const tasks = new UploadTasks(stack, 'Tasks', { ...props, vpc: new ec2.Vpc(stack, 'Vpc', { natGateways: 0 }) });
  return { tasks, template: Template.fromStack(stack) };
};

describe('parseSweepSchedule', () => {
  test.each([
    'rate(1 minute)', 'rate(2 minutes)', 'rate(1 hour)', 'rate(12 hours)', 'rate(1 day)', 'rate(7 days)',
    'cron(0 * * * ? *)', 'cron(15 6 ? * MON-FRI *)',
  ])('passes %s through as written', (text) => {
    const schedule = parseSweepSchedule(text);
    expect(schedule === 'off' ? schedule : schedule.expressionString).toBe(text);
  });

  test('reads off as no schedule, and ignores the spaces around a value', () => {
    expect(parseSweepSchedule('off')).toBe('off');
    expect(parseSweepSchedule(' off ')).toBe('off');
    const schedule = parseSweepSchedule(' rate(1 hour) ');
    expect(schedule === 'off' ? schedule : schedule.expressionString).toBe('rate(1 hour)');
  });

  test.each([
    ['a plural for 1', 'rate(1 minutes)'], ['a singular for 2', 'rate(2 hour)'], ['zero', 'rate(0 minutes)'],
    ['a unit Scheduler lacks', 'rate(1 week)'], ['no space', 'rate(5minutes)'], ['a negative count', 'rate(-1 hour)'],
    ['a fraction', 'rate(1.5 hours)'], ['a cron of 5 fields', 'cron(0 * * * ?)'],
    ['a cron of 7 fields', 'cron(0 0 * * ? * *)'], ['a one-time schedule', 'at(2026-12-01T00:00:00)'],
    ['a word', 'hourly'], ['another case', 'OFF'], ['nothing', ''],
    ['text before a cron', 'daily cron(0 3 * * ? *)'], ['text after a cron', 'cron(0 3 * * ? *) daily'],
  ])('fails on %s (%s), saying what is allowed', (_name, text) => {
    expect(() => parseSweepSchedule(text)).toThrow(`schedule must be off, rate(<n> minute|minutes|hour|hours|day|days) `
      + `with the singular for 1 (e.g. rate(1 hour), rate(30 minutes)) or cron(<6 fields>) in UTC, got '${text}'`);
  });
});

describe('UploadTasks', () => {
  test('sizes the task from cpu and memoryLimitMiB', () => {
    build({ cpu: 512, memoryLimitMiB: 2048 }).template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      Cpu: '512', Memory: '2048',
    });
  });

  test('fails on a size Fargate does not offer', () => {
    expect(() => build({ cpu: 256, memoryLimitMiB: 1536 })).toThrow(/^Fargate does not offer cpu 256 with memory 1536/);
  });

  test('filters the rule, the task\'s environment and the read permission on keyPrefix', () => {
    const { template } = build({ keyPrefix: 'drop-box/' });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { detail: { object: { key: [{ prefix: 'drop-box/' }] } } },
    });
    expect(JSON.stringify(template.findResources('AWS::ECS::TaskDefinition')))
      .toContain('{"Name":"KEY_PREFIX","Value":"drop-box/"}');
    expect(JSON.stringify(template.findResources('AWS::IAM::Policy'))).toContain('"/drop-box/*"');
  });

  test.each(['', 'incoming', '/incoming/', 'in*coming/'])('fails on keyPrefix "%s"', (keyPrefix) => {
    expect(() => build({ keyPrefix })).toThrow(/^keyPrefix (must|may contain only) /);
  });

  test('runs the sweep on sweepSchedule, and has none with withSweepSchedule false', () => {
    const { template } = build({ sweepSchedule: parseSweepSchedule('rate(15 minutes)') as never });
    template.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'rate(15 minutes)' });
    const off = build({ withSweepSchedule: false });
    off.template.resourceCountIs('AWS::Scheduler::Schedule', 0);
    expect(off.tasks.sweepSchedule).toBeUndefined();
  });
});

describe('LabBucket', () => {
  const lifecycle = (props: ConstructorParameters<typeof LabBucket>[2]) => {
    const stack = newStack();
    new LabBucket(stack, 'Bucket', props);
    return Template.fromStack(stack).findResources('AWS::S3::Bucket');
  };

  test('expires old versions a day after they are replaced only when it keeps versions', () => {
    const [versioned] = Object.values(lifecycle({ versioned: true }));
    expect(versioned.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(versioned.Properties.LifecycleConfiguration.Rules[0].NoncurrentVersionExpiration)
      .toEqual({ NoncurrentDays: 1 });
    const [plain] = Object.values(lifecycle({}));
    expect(plain.Properties.VersioningConfiguration).toBeUndefined();
    expect(plain.Properties.LifecycleConfiguration.Rules[0].NoncurrentVersionExpiration).toBeUndefined();
  });
});
