import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { encryptedRootVolume, parseInstanceType, webServerUserData } from '../../lib/constructs/web-server';

test('parses instance types of every family shape', () => {
  for (const type of ['t3.micro', 't4g.small', 'c6in.2xlarge', 'u-6tb1.metal']) {
    expect(parseInstanceType(type).toString()).toBe(type);
  }
  expect(parseInstanceType('t4g.micro').architecture).toBe(ec2.InstanceArchitecture.ARM_64);
});

test.each(['', 'big', 't3', 'T3.MICRO', 't3.micro; rm -rf /', 42])('fails on instance type %p', (value) => {
  expect(() => parseInstanceType(value)).toThrow(/instanceType must be an EC2 instance type such as "t3.micro"/);
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

test('fails on a heading that could break the HTML or the script', () => {
  expect(() => webServerUserData('<script>alert(1)</script>')).toThrow(/heading must be 1-80 letters/);
  expect(() => webServerUserData('$(reboot)')).toThrow(/heading must be 1-80 letters/);
});
