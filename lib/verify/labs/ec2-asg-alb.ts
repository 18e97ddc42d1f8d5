import { DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { GetTemplateCommand } from '@aws-sdk/client-cloudformation';
import { DescribeTargetHealthCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { expectPage } from '../http';
import { LabVerifier, VerifyContext } from '../lab-verifier';
import { SERVED_BY } from './ec2-web-server';

const REQUESTS = 20;

/**
 * The chapter's tests: the load balancer answers, spreads requests over the instances, and the group keeps its
 * size.
 */
export const ec2AsgAlbVerifier: LabVerifier = {
  outputs: ['Url', 'GroupName', 'TargetGroupArn'],
  checks: (context) => {
    const { outputs, aws } = context;
    return {
      checks: [
        {
          name: 'the load balancer answers 200 with a web server\'s page',
          run: async () => `${outputs.Url} served by `
            + `${SERVED_BY.exec((await expectPage(outputs.Url, SERVED_BY)).body)![1]}`,
        },
        {
          name: `over ${REQUESTS} requests, at least 2 instances answer`,
          run: async () => {
            const instances = new Set<string>();
            for (let i = 0; i < REQUESTS; i++) instances.add(
              SERVED_BY.exec((await expectPage(outputs.Url, SERVED_BY)).body)![1]);
            const seen = `${instances.size} instance(s): ${[...instances].sort().join(', ')}`;
            if (instances.size < 2) throw new Error(seen);
            return seen;
          },
        },
        {
          name: 'the target group reports at least the group\'s minimum of healthy targets',
          run: async () => {
            const { min } = await deployedGroupSize(context);
            const { TargetHealthDescriptions: targets = [] } = await aws.elbv2.send(new DescribeTargetHealthCommand({
              TargetGroupArn: outputs.TargetGroupArn,
            }));
            const states = targets.map((target) => `${target.Target?.Id} ${target.TargetHealth?.State}`);
            const healthy = targets.filter((target) => target.TargetHealth?.State === 'healthy').length;
            const seen = `${healthy} of ${targets.length} healthy, ${min} needed `
              + `(${states.join(', ') || 'no targets'})`;
            if (healthy < min) throw new Error(seen);
            return seen;
          },
        },
        {
          name: 'the Auto Scaling group has the size it was deployed with',
          run: async () => {
            const { min, max } = await deployedGroupSize(context);
            const { AutoScalingGroups: groups = [] } = await aws.autoScaling.send(new DescribeAutoScalingGroupsCommand({
              AutoScalingGroupNames: [outputs.GroupName],
            }));
            if (groups.length === 0) throw new Error(`no Auto Scaling group named ${outputs.GroupName}`);
            const { MinSize, MaxSize, DesiredCapacity, Instances = [] } = groups[0];
            const seen = `min ${MinSize}, max ${MaxSize}, desired ${DesiredCapacity}, ${Instances.length} instance(s); `
              + `deployed min ${min}, max ${max}`;
            if (MinSize !== min || MaxSize !== max) throw new Error(seen);
            return seen;
          },
        },
      ],
    };
  },
};

/** MinSize and MaxSize of the group in the template CloudFormation deployed (context values may have changed them). */
async function deployedGroupSize({ aws, stackName }: VerifyContext): Promise<{ min: number; max: number }> {
  const { TemplateBody } = await aws.cloudFormation.send(new GetTemplateCommand({ StackName: stackName }));
  const resources = Object.values<any>(JSON.parse(TemplateBody ?? '{}').Resources ?? {});
  const group = resources.find((resource) => resource.Type === 'AWS::AutoScaling::AutoScalingGroup');
  if (!group) throw new Error(`the deployed template of ${stackName} has no Auto Scaling group`);
  return { min: Number(group.Properties.MinSize), max: Number(group.Properties.MaxSize) };
}
