import { CfnResource, Stack, Token, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct, IConstruct } from 'constructs';
import { LabLogGroup } from './lab-log-group';
import { studentOf } from '../classroom/classroom-mode';
import { importSharedNetwork } from '../classroom/shared-network';

export interface LabVpcProps {
  /**
   * NAT gateways for labs that truly need egress from private subnets.
   *
   * Each one costs about $0.045/h plus $0.045/GB processed and an Elastic IP ($0.005/h) in us-east-1,
   * more than most labs themselves. A lab that sets this must say why and what it costs in its guide;
   * the NAT gateway guardrail accepts them only with `natGatewayReason`.
   *
   * @default 0 - public subnets only, no NAT gateway
   */
  readonly natGateways?: number;

  /**
   * Why the lab needs NAT gateways and what they cost, shown in the validation report. Required with `natGateways`.
   *
   * @default - none
   */
  readonly natGatewayReason?: string;

  /**
   * The size of each public subnet, as a prefix length: ClassroomSetup's network, which a whole class shares, takes
   * /20 (4,091 addresses per AZ).
   *
   * @default 24 - 251 addresses per AZ
   */
  readonly subnetCidrMask?: number;
}

/**
 * The network every lab shares: two AZs, public subnets, and no NAT gateway.
 *
 * CDK's default `Vpc` adds a NAT gateway and an Elastic IP per AZ (about $0.10/h idle), which
 * would cost a student more than the labs' own resources. Lab instances and tasks get public IPs instead,
 * and security groups, not subnets, keep them private. Flow logs go to a log group deleted with the stack.
 *
 * In classroom mode (`-c student=<name>`) it makes nothing and imports the class's network from ClassroomSetup.
 */
export class LabVpc extends Construct {
  public readonly vpc: ec2.IVpc;

  constructor(scope: Construct, id: string, props: LabVpcProps = {}) {
    super(scope, id);

    const natGateways = props.natGateways ?? 0;
    const student = studentOf(this);
    if (student !== undefined) {
      // A class of thirty would need thirty VPCs (the default quota is 5 per region): they share ClassroomSetup's.
      if (natGateways > 0) {
        throw new Error(`In classroom mode (student ${student}) the lab uses the class's network, which has public `
          + `subnets only: natGateways must be 0, got ${natGateways}`);
      }
      this.vpc = importSharedNetwork(this, 'Resource');
      return;
    }
    if (!Token.isUnresolved(natGateways) && (!Number.isInteger(natGateways) || natGateways < 0 || natGateways > 2)) {
      throw new Error(`natGateways must be a whole number from 0 to 2 (one per AZ at most), got ${natGateways}`);
    }
    if (natGateways > 0 && !props.natGatewayReason?.trim()) {
      throw new Error(`natGateways (${natGateways}) needs natGatewayReason: `
        + 'why the lab needs private egress and what it costs per hour');
    }

    const subnetConfiguration: ec2.SubnetConfiguration[] = [
      { name: 'Public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: props.subnetCidrMask ?? 24 },
    ];
    if (natGateways > 0) {
      subnetConfiguration.push({ name: 'Private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 24 });
      Validations.of(this).acknowledge({ id: 'LabGuardrails::nat-gateway', reason: props.natGatewayReason! });
    }

    this.vpc = new ec2.Vpc(this, 'Resource', {
      ipAddresses: ec2.IpAddresses.cidr('10.0.0.0/16'),
      maxAzs: 2,
      natGateways,
      subnetConfiguration,
      flowLogs: {
        All: {
          destination: ec2.FlowLogDestination.toCloudWatchLogs(new LabLogGroup(this, 'FlowLogs').logGroup),
          trafficType: ec2.FlowLogTrafficType.ALL,
        },
      },
    });
    this.giveDefaultSecurityGroupRestrictorALogGroup();
  }

  /**
   * With `@aws-cdk/aws-ec2:restrictDefaultSecurityGroup`, CDK empties the VPC's default security group through a
   * custom-resource Lambda function that would log to an implicit `/aws/lambda/...` group; point it at one of ours.
   */
  private giveDefaultSecurityGroupRestrictorALogGroup(): void {
    const stack = Stack.of(this);
    const handler = stack.node.tryFindChild('Custom::VpcRestrictDefaultSGCustomResourceProvider')
      ?.node.tryFindChild('Handler');
    if (!(handler instanceof CfnResource) || stack.node.tryFindChild('DefaultSecurityGroupRestrictorLogs')) return;
    const logs = new LabLogGroup(stack, 'DefaultSecurityGroupRestrictorLogs');
    handler.addPropertyOverride('LoggingConfig.LogGroup', logs.logGroup.logGroupName);
  }
}

/**
 * Makes a resource that holds public addresses (instances, tasks, an Elastic IP) wait for the public subnets' routes
 * through the internet gateway, which depend on the gateway's attachment. On delete it then goes first; otherwise
 * CloudFormation may detach the gateway while an address is still mapped and fail with "has some mapped public
 * address(es)" (aws/aws-cdk#26716). Not `vpc.internetConnectivityEstablished`: that holds the gateway alone.
 */
export function dependOnPublicRoutes(resource: IConstruct, vpc: ec2.IVpc): void {
  resource.node.addDependency(vpc.selectSubnets({ subnetType: ec2.SubnetType.PUBLIC }).internetConnectivityEstablished);
}
