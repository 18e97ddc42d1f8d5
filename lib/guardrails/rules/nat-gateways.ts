import { CfnTemplate, Finding, resourcesOfType } from '../../template/cfn-template';

/** NAT gateways: about $0.045/h each plus data, more than most labs cost in total. */
export function natGateways(template: CfnTemplate): Finding[] {
  return resourcesOfType(template, 'AWS::EC2::NatGateway')
    .map(([logicalId]) => ({ logicalId, location: 'Type', message: 'NAT gateway (about $0.045/h + $0.045/GB)' }));
}
