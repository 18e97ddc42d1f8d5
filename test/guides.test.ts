import * as fs from 'fs';
import * as path from 'path';
import { LABS } from '../bin/labs';
import { costDrivers } from '../lib/cost/drivers';
import { costSummary, labCost } from '../lib/cost/report';
import { synthLabs } from './helpers/synth';

// Each lab guide is checked against its lab's synthesized template, so the guides cannot drift from the code.
const ROOT = path.join(__dirname, '..');
const labs = Object.keys(LABS);
const { templates } = synthLabs();
const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf-8');

/** Ec2WebServerLab -> labs/ec2-web-server */
const guideFolder = (lab: string) => path.join(
  'labs',
  lab.replace(/Lab$/, '').replace(/(?<=[a-z0-9])(?=[A-Z])/g, '-').toLowerCase(),
);
const guideOf = (lab: string) => fs.readFileSync(path.join(ROOT, guideFolder(lab), 'README.md'), 'utf-8');
const summaryOf = (lab: string) => costSummary(labCost(lab, costDrivers(templates[lab])));

/** What a diagram must show when the template has such a resource. */
const DIAGRAM_NAMES: Record<string, RegExp> = {
  'AWS::EC2::Instance': /EC2/,
  'AWS::AutoScaling::AutoScalingGroup': /Auto Scaling/,
  'AWS::ElasticLoadBalancingV2::LoadBalancer': /Load Balancer|ALB/,
  'AWS::ApiGateway::RestApi': /API Gateway/,
  'AWS::DynamoDB::Table': /DynamoDB/,
  'AWS::ECS::Service': /Fargate|ECS/,
  'AWS::ECS::TaskDefinition': /Fargate|ECS/,
  'AWS::Events::Rule': /EventBridge/,
  'AWS::Scheduler::Schedule': /Scheduler/,
  'AWS::SNS::Topic': /SNS/,
  'AWS::SQS::Queue': /SQS/,
  'AWS::S3::Bucket': /S3/,
  'AWS::ElasticBeanstalk::Environment': /Beanstalk/,
  'AWS::EC2::NatGateway': /NAT gateway/,
};

describe.each(labs)('the guide of %s', (lab) => {
  test('quotes the idle cost that npm run cost computes from the template', () => {
    expect(guideOf(lab)).toContain(summaryOf(lab));
  });

  test('draws a Mermaid diagram with every main resource of the template', () => {
    const diagram = /```mermaid\n([\s\S]*?)```/.exec(guideOf(lab))?.[1];
    expect(diagram).toBeDefined();
    const types = new Set(Object.values<any>(templates[lab].Resources).map((resource) => resource.Type));
    for (const [type, name] of Object.entries(DIAGRAM_NAMES)) {
      if (types.has(type)) expect({ type, shown: name.test(diagram!) }).toEqual({ type, shown: true });
    }
  });

  test('gives the deploy, verify, destroy and leftovers commands', () => {
    expect(guideOf(lab)).toContain(`npx cdk deploy ${lab}`);
    expect(guideOf(lab)).toContain(`npm run verify -- ${lab}`);
    expect(guideOf(lab)).toContain(`npx cdk destroy ${lab}\nnpm run leftovers -- ${lab}\n`);
  });

  test('has a "First deploy in a new account" part that runs preflight before the deploy', () => {
    const part = /\n## First deploy in a new account\n([\s\S]*?)\n## /.exec(guideOf(lab))?.[1];
    expect(part).toContain(`npm run preflight -- ${lab}`);
    expect(guideOf(lab).indexOf('## First deploy in a new account'))
      .toBeLessThan(guideOf(lab).indexOf(`npx cdk deploy ${lab}`));
  });

  test('is listed in the README with its hourly cost and a link', () => {
    const row = readme.split('\n').find((line) => line.startsWith(`| \`${lab}\``));
    expect(row).toBeDefined();
    expect(row).toContain(`$${summaryOf(lab).match(/\$([0-9.]+)\/h/)![1]}/h`);
    expect(row).toContain(`(${guideFolder(lab)}/README.md)`);
  });
});
