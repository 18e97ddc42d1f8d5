import * as ec2 from 'aws-cdk-lib/aws-ec2';

/**
 * Building blocks shared by the labs that run Apache on EC2 (a single instance, or an Auto Scaling group).
 * They replace the chapter's console steps: AMI choice, storage, and the commands typed over SSH.
 */

/** The chapter's free-tier t2.micro, one generation newer: cheaper per hour and on Nitro. */
export const DEFAULT_WEB_SERVER_INSTANCE_TYPE = 't3.micro';

// family[.generation...].size, e.g. t3.micro, m7g.large, c6in.2xlarge, u-6tb1.metal
const INSTANCE_TYPE_PATTERN = /^[a-z][a-z0-9-]*\.[a-z0-9]+$/;

/** Parses an instance type given as text (a context value), with an error that shows what is allowed. */
export function parseInstanceType(value: unknown): ec2.InstanceType {
  if (typeof value !== 'string' || !INSTANCE_TYPE_PATTERN.test(value)) {
    throw new Error(`instanceType must be an EC2 instance type such as "t3.micro" or "t4g.small", got ${JSON.stringify(value)}`);
  }
  return new ec2.InstanceType(value);
}

/**
 * The current Amazon Linux 2023 image (AWS's default kernel) for the instance type's CPU, read from the public
 * SSM parameter when the stack deploys: the template stays the same while the AMI id changes every few weeks.
 */
export function amazonLinux2023(instanceType: ec2.InstanceType): ec2.IMachineImage {
  const cpuType = instanceType.architecture === ec2.InstanceArchitecture.ARM_64 ? ec2.AmazonLinuxCpuType.ARM_64 : ec2.AmazonLinuxCpuType.X86_64;
  // Not MachineImage.latestAmazonLinux2023(): it pins the 6.1 kernel, which AL2023 no longer uses by default.
  return new ec2.AmazonLinux2023ImageSsmParameter({ cpuType, kernel: ec2.AmazonLinux2023Kernel.DEFAULT, cachedInContext: false });
}

/** The chapter's default 8 GB root volume, as encrypted gp3 (gp3 is cheaper per GB than the chapter's gp2). */
export function encryptedRootVolume(sizeGiB = 8): ec2.BlockDevice {
  return {
    deviceName: '/dev/xvda',
    volume: ec2.BlockDeviceVolume.ebs(sizeGiB, { encrypted: true, volumeType: ec2.EbsDeviceVolumeType.GP3, deleteOnTermination: true }),
  };
}

/**
 * User data that installs and starts Apache and writes a page naming the instance that answered,
 * the chapter's "Install and Configure a Web Server" step without SSH. Metadata is read with an IMDSv2 token,
 * since the instances require IMDSv2.
 */
export function webServerUserData(heading: string): ec2.UserData {
  if (!/^[\w !,.:'-]{1,80}$/.test(heading)) {
    throw new Error(`heading must be 1-80 letters, digits, spaces or !,.:'- (it is written into HTML by a shell script), got ${JSON.stringify(heading)}`);
  }
  const userData = ec2.UserData.forLinux();
  userData.addCommands(
    'set -euo pipefail',
    'dnf install -y httpd',
    "TOKEN=$(curl -sS -X PUT http://169.254.169.254/latest/api/token -H 'X-aws-ec2-metadata-token-ttl-seconds: 300')",
    'metadata() { curl -sS -H "X-aws-ec2-metadata-token: $TOKEN" "http://169.254.169.254/latest/meta-data/$1"; }',
    'INSTANCE_ID=$(metadata instance-id)',
    'ZONE=$(metadata placement/availability-zone)',
    "cat > /var/www/html/index.html <<EOF",
    `<html><head><title>${heading}</title></head><body><h1>${heading}</h1>`,
    '<p>Served by instance <strong>$INSTANCE_ID</strong> in $ZONE.</p></body></html>',
    'EOF',
    'systemctl enable --now httpd',
  );
  return userData;
}
