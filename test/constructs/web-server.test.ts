import { CfnParameter } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { LabVpc } from '../../lib/constructs/lab-vpc';
import {
  encryptedRootVolume,
  parseInstanceType,
  WebServer,
  WebServerProps,
  webServerUserData,
} from '../../lib/constructs/web-server';
import { constructTestStack } from '../helpers/construct-app';

/** A WebServer in a bare stack: its validations throw in the constructor, so nothing is synthesized. */
function webServer(props: Omit<WebServerProps, 'vpc'> = {}) {
  const stack = constructTestStack({}, 'Default');
  const server = new WebServer(stack, 'WebServer', { vpc: new LabVpc(stack, 'Network').vpc, ...props });
  const ingress: any[] = stack.resolve(
    (server.securityGroup.node.defaultChild as ec2.CfnSecurityGroup).securityGroupIngress,
  );
  const instance = server.instance.node.defaultChild as ec2.CfnInstance;
  return { stack, server, ingress, instance };
}

const SSH_CIDR_MESSAGE = (cidr: string) => new Error(
  'sshCidr must be your own IPv4 range with a prefix from /16 to /32, e.g. "203.0.113.7/32" '
    + `(SSH is never opened to the world), got ${JSON.stringify(cidr)}`,
);
const HEADING_MESSAGE = (heading: string) => new Error(
  'heading must be 1-80 letters, digits, spaces or !,.:\'- (it is written into HTML by a shell script), '
    + `got ${JSON.stringify(heading)}`,
);

describe('WebServer', () => {
  test('runs a t3.micro with a public IP in a public subnet by default', () => {
    const { stack, instance } = webServer();
    expect(instance.instanceType).toBe('t3.micro');
    expect(stack.resolve(instance.networkInterfaces)).toEqual([expect.objectContaining({
      associatePublicIpAddress: true, subnetId: { Ref: expect.stringMatching(/^NetworkPublicSubnet1/) },
    })]);
  });

  test('runs the instance type it is given', () => {
    expect(webServer({ instanceType: parseInstanceType('t4g.micro') }).instance.instanceType).toBe('t4g.micro');
  });

  test('opens HTTP to the world and nothing else by default', () => {
    expect(webServer().ingress).toEqual([
      expect.objectContaining({ cidrIp: '0.0.0.0/0', fromPort: 80, toPort: 80, ipProtocol: 'tcp' }),
    ]);
  });

  test('serves "Hello from EC2!" by default, and the heading it is given', () => {
    expect(webServer().server.instance.userData.render()).toContain('<h1>Hello from EC2!</h1>');
    expect(webServer({ heading: 'Hello from my lab' }).server.instance.userData.render())
      .toContain('<h1>Hello from my lab</h1>');
  });

  test('gives its URL as http:// and the public DNS name', () => {
    const { stack, server } = webServer();
    expect(stack.resolve(server.url)).toEqual({
      'Fn::Join': ['', ['http://', { 'Fn::GetAtt': [expect.stringMatching(/^WebServer/), 'PublicDnsName'] }]],
    });
  });

  test.each([
    ['10.20.0.0/16', 'the widest prefix'],
    ['203.0.113.7/32', 'one address'],
    ['255.255.255.255/32', 'octets of 255'],
    ['1.2.3.4/32', 'octets of one digit'],
  ])('opens SSH to sshCidr %s (%s) and to nothing else', (sshCidr) => {
    const ssh = webServer({ sshCidr }).ingress.filter((rule) => rule.fromPort === 22);
    expect(ssh).toEqual([expect.objectContaining({ cidrIp: sshCidr, toPort: 22, ipProtocol: 'tcp' })]);
  });

  test.each([
    ['10.20.0.0/15', 'a prefix wider than /16'],
    ['203.0.113.7/33', 'a prefix longer than /32'],
    ['256.0.113.7/32', 'a first octet of 256'],
    ['203.0.113.256/32', 'a last octet of 256'],
    ['0.0.0.0/0', 'the whole internet'],
    ['203.0.113.7', 'no prefix'],
    ['203.0.113/24', 'three octets'],
    ['', 'nothing'],
    ['.0.113.7/32', 'an empty first octet'],
    ['203..113.7/32', 'an empty second octet'],
    ['203.0..7/32', 'an empty third octet'],
    ['203.0.113./32', 'an empty last octet'],
    ['0203.0.113.7/32', 'a first octet of 4 digits'],
    ['203.0000.113.7/32', 'a second octet of 4 digits'],
    ['203.0.0113.7/32', 'a third octet of 4 digits'],
    ['203.0.113.0007/32', 'a last octet of 4 digits'],
    ['203.0.113.7/032', 'a prefix of 3 digits'],
    ['203.0.113.7/320', 'a prefix of 3 digits that starts like /32'],
    ['x203.0.113.7/32', 'a character before the address'],
  ])('fails on sshCidr %p (%s), saying what is allowed', (sshCidr) => {
    expect(() => webServer({ sshCidr })).toThrow(SSH_CIDR_MESSAGE(sshCidr));
  });

  test('leaves an sshCidr known only at deploy time to EC2', () => {
    const stack = constructTestStack({}, 'Default');
    const sshCidr = new CfnParameter(stack, 'SshCidr').valueAsString;
    const server = new WebServer(stack, 'WebServer', { vpc: new LabVpc(stack, 'Network').vpc, sshCidr });
    const ingress: any[] = stack.resolve(
      (server.securityGroup.node.defaultChild as ec2.CfnSecurityGroup).securityGroupIngress,
    );
    expect(ingress.filter((rule) => rule.fromPort === 22)).toEqual([
      expect.objectContaining({ cidrIp: { Ref: 'SshCidr' }, toPort: 22 }),
    ]);
  });

  test.each([
    ['x'.repeat(80), '80 characters'],
    ['x', '1 character'],
    ["It's up: 1, 2, 3 - done!", 'the punctuation allowed but the dot'],
    ['Lab 1.2 of my_course', 'a dot and an underscore'],
  ])('accepts a heading of %s (%s)', (heading) => {
    expect(webServer({ heading }).server.instance.userData.render()).toContain(`<h1>${heading}</h1>`);
  });

  test.each([
    ['x'.repeat(81), '81 characters'],
    ['', 'nothing'],
    ['<b>Hi</b>', 'HTML'],
    ['$(reboot)', 'a shell substitution'],
  ])('fails on heading %p (%s), saying what is allowed', (heading) => {
    expect(() => webServer({ heading })).toThrow(HEADING_MESSAGE(heading));
  });
});

describe('building blocks', () => {
  test.each(['t3.micro', 't4g.small', 'c6in.2xlarge', 'u-6tb1.metal', 'a.b'])('parses instance type %s', (type) => {
    expect(parseInstanceType(type).toString()).toBe(type);
  });

  test('parses a Graviton instance type as arm64', () => {
    expect(parseInstanceType('t4g.micro').architecture).toBe(ec2.InstanceArchitecture.ARM_64);
  });

  test.each([
    '', 'big', 't3', 't3.', '.micro', '3t.micro', 't3.micro.x', 'T3.MICRO', 't3.Micro', 't3.micro; rm -rf /', 42,
  ])('fails on instance type %p', (value) => {
    expect(() => parseInstanceType(value)).toThrow(
      new Error('instanceType must be an EC2 instance type such as "t3.micro" or "t4g.small", '
        + `got ${JSON.stringify(value)}`),
    );
  });

  test('encrypts a gp3 root volume that dies with the instance', () => {
    expect(encryptedRootVolume().volume.ebsDevice).toEqual(expect.objectContaining({
      volumeSize: 8, encrypted: true, volumeType: ec2.EbsDeviceVolumeType.GP3, deleteOnTermination: true,
    }));
  });

  test('writes a page naming the instance, read with an IMDSv2 token', () => {
    const script = webServerUserData('Hello from EC2!').render();
    expect(script).toContain('X-aws-ec2-metadata-token-ttl-seconds');
    expect(script).toContain('<h1>Hello from EC2!</h1>');
    expect(script).toContain('$INSTANCE_ID');
  });
});
