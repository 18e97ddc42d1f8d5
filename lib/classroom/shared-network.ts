import { CfnOutput, Fn } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { classroomExportName, publicSubnetExportName } from './classroom-exports';

/** The class's network has two public subnets, one per AZ, like every lab's own. */
const ZONES = [1, 2] as const;

/** What ClassroomSetup exports of its network, each under `ClassroomSetup-<name>`. */
const EXPORTS = {
  vpcId: 'VpcId',
  zone: (n: number) => `AvailabilityZone${n}`,
  routeTable: (n: number) => `PublicRouteTable${n}Id`,
};

/** Exports the class's network (in ClassroomSetup), for `importSharedNetwork` in the students' stacks. */
export function exportSharedNetwork(scope: Construct, vpc: ec2.IVpc): void {
  const subnets = vpc.publicSubnets;
  if (subnets.length !== ZONES.length) {
    throw new Error(`The class's network must have ${ZONES.length} public subnets, got ${subnets.length}`);
  }
  const output = (name: string, value: string, description: string) =>
    new CfnOutput(scope, name, { value, description, exportName: classroomExportName(name) });
  output(EXPORTS.vpcId, vpc.vpcId, 'The class\'s VPC, which every student\'s lab uses');
  ZONES.forEach((n, i) => {
    output(EXPORTS.zone(n), subnets[i].availabilityZone, `The AZ of public subnet ${n}`);
    new CfnOutput(scope, `PublicSubnet${n}Id`, {
      value: subnets[i].subnetId,
      description: `Public subnet ${n} of the class's VPC`,
      exportName: publicSubnetExportName(n),
    });
    output(EXPORTS.routeTable(n), subnets[i].routeTable.routeTableId, `The route table of public subnet ${n}`);
  });
}

/**
 * The class's network, imported from ClassroomSetup's exports: the VPC and its two public subnets. A student's stack
 * that imports it cannot deploy before ClassroomSetup, and ClassroomSetup cannot be deleted while a student's stack
 * uses it, so its internet gateway outlives every public address in the class.
 */
export function importSharedNetwork(scope: Construct, id: string): ec2.IVpc {
  const imported = (name: string) => Fn.importValue(classroomExportName(name));
  return ec2.Vpc.fromVpcAttributes(scope, id, {
    vpcId: imported(EXPORTS.vpcId),
    availabilityZones: ZONES.map((n) => imported(EXPORTS.zone(n))),
    publicSubnetIds: ZONES.map((n) => Fn.importValue(publicSubnetExportName(n))),
    publicSubnetRouteTableIds: ZONES.map((n) => imported(EXPORTS.routeTable(n))),
  });
}
