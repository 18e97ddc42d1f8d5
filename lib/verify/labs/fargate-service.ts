import { DescribeNetworkInterfacesCommand } from '@aws-sdk/client-ec2';
import {
  DescribeServicesCommand, DescribeTaskDefinitionCommand, DescribeTasksCommand, ListTasksCommand,
} from '@aws-sdk/client-ecs';
import { expectPage } from '../http';
import { Check } from '../checklist';
import { LabVerifier, VerifyContext } from '../lab-verifier';

/** The ECS sample image's page says where it runs. */
const SAMPLE_PAGE = /Amazon ECS/;

/** The chapter's tests: the service runs its tasks, and each task's public IP serves the sample page. */
export const fargateServiceVerifier: LabVerifier = {
  outputs: ['ClusterName', 'ServiceName'],
  checks: (context) => {
    const { outputs } = context;
    const checks: Check[] = [
      {
        name: 'the service runs its desired count of tasks',
        run: async () => {
          const { services = [] } = await context.aws.ecs.send(new DescribeServicesCommand({
            cluster: outputs.ClusterName,
            services: [outputs.ServiceName],
          }));
          const service = services[0];
          if (!service) throw new Error(`no service ${outputs.ServiceName} in cluster ${outputs.ClusterName}`);
          const seen = `${service.runningCount} running of ${service.desiredCount} desired (${service.status})`;
          if (!service.desiredCount || service.runningCount !== service.desiredCount) throw new Error(seen);
          return seen;
        },
      },
      {
        name: 'every task\'s public IP serves the sample page',
        run: async () => {
          const { ips, port } = await taskAddresses(context);
          if (ips.length === 0) throw new Error('no running task has a public IP');
          const urls = ips.map((ip) => `http://${ip}${port === 80 ? '' : `:${port}`}/`);
          for (const url of urls) await expectPage(url, SAMPLE_PAGE);
          return `200 from ${urls.join(', ')}`;
        },
      },
    ];
    if (outputs.Url) {
      checks.push({
        name: 'the load balancer serves the sample page',
        run: async () => {
          await expectPage(outputs.Url, SAMPLE_PAGE);
          return `200 from ${outputs.Url}`;
        },
      });
    }
    return { checks };
  },
};

/**
 * The public IPs of the service's running tasks (task -> its network interface -> the interface's public IP), and
 * the port they serve on (the task definition's first container port: with awsvpc networking, the host port).
 */
async function taskAddresses({ aws, outputs }: VerifyContext): Promise<{ ips: string[]; port: number }> {
  const { taskArns = [] } = await aws.ecs.send(new ListTasksCommand({
    cluster: outputs.ClusterName,
    serviceName: outputs.ServiceName,
    desiredStatus: 'RUNNING',
  }));
  if (taskArns.length === 0) return { ips: [], port: 80 };
  const { tasks = [] } = await aws.ecs.send(new DescribeTasksCommand({
    cluster: outputs.ClusterName,
    tasks: taskArns,
  }));
  const { taskDefinition } = await aws.ecs.send(new DescribeTaskDefinitionCommand({
    taskDefinition: tasks[0].taskDefinitionArn,
  }));
  const port = taskDefinition?.containerDefinitions?.[0]?.portMappings?.[0]?.containerPort ?? 80;
  const interfaceIds = tasks.flatMap((task) => task.attachments ?? [])
    .filter((attachment) => attachment.type === 'ElasticNetworkInterface')
    .flatMap((attachment) => attachment.details ?? [])
    .filter((detail) => detail.name === 'networkInterfaceId')
    .map((detail) => detail.value!);
  if (interfaceIds.length < tasks.length) throw new Error(
    `${tasks.length - interfaceIds.length} task(s) have no network interface yet`);
  const { NetworkInterfaces = [] } = await aws.ec2.send(new DescribeNetworkInterfacesCommand({
    NetworkInterfaceIds: interfaceIds,
  }));
  return {
    ips: NetworkInterfaces.flatMap((eni) => (eni.Association?.PublicIp ? [eni.Association.PublicIp] : [])),
    port,
  };
}
