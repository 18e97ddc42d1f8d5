import { reviewStack } from '../../lib/review/stack-review';

// Each "look at twice" mark on both sides of its rule, on hand-written templates (no synth).
const marks = (before: object | undefined, after: object | undefined) => reviewStack('Lab', before, after).lookTwice;
const resources = (r: Record<string, object>) => ({ Resources: r });
const res = (Type: string, Properties: object = {}, extra: object = {}) => ({ Type, Properties, ...extra });

describe('stateful resources', () => {
  test.each([
    [
      'AWS::DynamoDB::Table',
      { KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }] },
      { KeySchema: [{ AttributeName: 'userId', KeyType: 'HASH' }] },
    ],
    ['AWS::S3::Bucket', { BucketName: 'a' }, { BucketName: 'b' }],
    ['AWS::Logs::LogGroup', { LogGroupName: 'a' }, { LogGroupName: 'b' }],
    ['AWS::SQS::Queue', { FifoQueue: false }, { FifoQueue: true }],
  ])('marks a replaced %s: its data is lost', (type, before, after) => {
    expect(marks(resources({ Data: res(type, before) }), resources({ Data: res(type, after) })))
      .toEqual([`${type} Data will be replaced: its data is lost`]);
  });

  test.each([
    ['AWS::DynamoDB::Table', { BillingMode: 'PROVISIONED' }, { BillingMode: 'PAY_PER_REQUEST' }],
    [
      'AWS::S3::Bucket',
      { VersioningConfiguration: { Status: 'Suspended' } },
      { VersioningConfiguration: { Status: 'Enabled' } },
    ],
    ['AWS::Logs::LogGroup', { RetentionInDays: 7 }, { RetentionInDays: 14 }],
    ['AWS::SQS::Queue', { VisibilityTimeout: 30 }, { VisibilityTimeout: 60 }],
  ])('does not mark a %s updated in place', (type, before, after) => {
    const review = reviewStack('Lab', resources({ Data: res(type, before) }), resources({ Data: res(type, after) }));
    expect(review.status).toBe('changed');
    expect(review.lookTwice).toEqual([]);
  });

  test('marks a database that may be replaced', () => {
    const type = 'AWS::RDS::DBInstance';
    expect(marks(
      resources({ Db: res(type, { StorageType: 'gp2' }) }),
      resources({ Db: res(type, { StorageType: 'gp3' }) }),
    )).toEqual([`${type} Db may be replaced: its data is lost`]);
  });

  test.each([
    'AWS::DynamoDB::Table', 'AWS::S3::Bucket', 'AWS::Logs::LogGroup', 'AWS::RDS::DBInstance', 'AWS::RDS::DBCluster',
    'AWS::EFS::FileSystem', 'AWS::EC2::Volume', 'AWS::SQS::Queue', 'AWS::Cognito::UserPool',
  ])('marks a deleted %s, with its data', (type) => {
    expect(marks(resources({ Data: res(type) }), resources({})))
      .toEqual([`${type} Data will be deleted, with its data`]);
  });

  test('does not mark a deleted resource that is kept on delete (its data stays)', () => {
    expect(marks(resources({ Data: res('AWS::DynamoDB::Table', {}, { DeletionPolicy: 'Retain' }) }), resources({})))
      .toEqual([]);
  });

  test('does not mark a stateless resource replaced or deleted', () => {
    expect(marks(
      resources({ Web: res('AWS::EC2::Instance', { ImageId: 'ami-1' }) }),
      resources({ Web: res('AWS::EC2::Instance', { ImageId: 'ami-2' }) }),
    )).toEqual([]);
    expect(marks(resources({ Topic: res('AWS::SNS::Topic') }), resources({}))).toEqual([]);
  });

  test('marks a stateful resource replaced by a resource of another type', () => {
    expect(marks(resources({ Data: res('AWS::SQS::Queue') }), resources({ Data: res('AWS::SNS::Topic') })))
      .toEqual(['AWS::SQS::Queue Data will be replaced: its data is lost']);
  });

  test('does not mark a new stateful resource', () => {
    expect(marks(resources({}), resources({ Data: res('AWS::DynamoDB::Table') }))).toEqual([]);
  });
});

describe('NAT gateways', () => {
  const nat = (subnet: string) => res('AWS::EC2::NatGateway', { SubnetId: subnet, ConnectivityType: 'private' });

  test('marks a new NAT gateway', () => {
    expect(marks(resources({}), resources({ Nat: nat('subnet-1') }))).toEqual([
      'new NAT gateway Nat: about $0.045/h each, plus data',
      'idle cost goes up: $0.0000/h -> $0.0450/h',
    ]);
  });

  test('does not mark an existing NAT gateway that changes or goes away', () => {
    expect(marks(resources({ Nat: nat('subnet-1') }), resources({ Nat: nat('subnet-2') }))).toEqual([]);
    expect(marks(resources({ Nat: nat('subnet-1') }), resources({}))).toEqual([]);
  });
});

describe('ingress', () => {
  const group = (ingress: object[]) =>
    resources({ Web: res('AWS::EC2::SecurityGroup', { GroupDescription: 'web', SecurityGroupIngress: ingress }) });

  test('marks new ingress from 0.0.0.0/0', () => {
    expect(marks(group([]), group([{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: '0.0.0.0/0' }])))
      .toEqual(['new ingress from 0.0.0.0/0 (TCP 22) to ${Web.GroupId}']);
  });

  test('marks new ingress from ::/0', () => {
    expect(marks(group([]), group([{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIpv6: '::/0' }])))
      .toEqual(['new ingress from ::/0 (TCP 443) to ${Web.GroupId}']);
  });

  test('does not mark new ingress from a private CIDR, a single address, another security group (by id or name) or '
    + 'a prefix list', () => {
    expect(marks(group([]), group([
      { IpProtocol: 'tcp', FromPort: 80, ToPort: 80, CidrIp: '10.0.0.0/16' },
      { IpProtocol: 'tcp', FromPort: 80, ToPort: 80, CidrIp: '0.0.0.0/1' },
      { IpProtocol: 'tcp', FromPort: 80, ToPort: 80, CidrIpv6: '2001:db8::/32' },
      { IpProtocol: 'tcp', FromPort: 80, ToPort: 80, SourceSecurityGroupId: 'sg-1' },
      { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, SourcePrefixListId: 'pl-0123456789abcdef0' },
      // cloudformation-diff gives a rule with a group name no peer at all.
      { IpProtocol: 'tcp', FromPort: 80, ToPort: 80, SourceSecurityGroupName: 'default' },
    ]))).toEqual([]);
  });

  test('does not mark world ingress that was already there', () => {
    const open = group([{ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, CidrIp: '0.0.0.0/0' }]);
    expect(marks(open, open)).toEqual([]);
  });
});

describe('IAM', () => {
  const policy = (statement: object) => resources({
    Policy: res('AWS::IAM::Policy', {
      PolicyName: 'p',
      Roles: ['r'],
      PolicyDocument: { Version: '2012-10-17', Statement: [statement] },
    }),
  });
  const permission = (props: object) => resources({
    Invoke: res('AWS::Lambda::Permission', { Action: 'lambda:InvokeFunction', FunctionName: 'fn', ...props }),
  });
  const API = 'arn:aws:execute-api:us-east-1:123456789012:api/*';
  const SECURE = { Bool: { 'aws:SecureTransport': 'true' } };
  const bucketPolicy = (statement: object) => resources({
    Policy: res('AWS::S3::BucketPolicy', {
      Bucket: 'b',
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*', ...statement }],
      },
    }),
  });
  const BUCKET_READ = 'IAM widened: allows s3:GetObject on arn:aws:s3:::b/*';

  test('marks a widened statement: new actions on resources', () => {
    expect(marks(
      resources({}),
      policy({ Effect: 'Allow', Action: ['dynamodb:Scan', 'dynamodb:DeleteItem'], Resource: '*' }),
    )).toEqual(['IAM widened: allows dynamodb:DeleteItem, dynamodb:Scan on *']);
  });

  test('marks a statement with NotAction and NotResource as such', () => {
    expect(marks(resources({}), policy({ Effect: 'Allow', NotAction: 'iam:*', NotResource: 'arn:aws:s3:::b' })))
      .toEqual(['IAM widened: allows NOT iam:* on NOT arn:aws:s3:::b']);
  });

  test('marks a statement with a condition but no principal (an identity policy)', () => {
    expect(marks(resources({}), policy({
      Effect: 'Allow',
      Action: 's3:GetObject',
      Resource: '*',
      Condition: { Bool: { 'aws:SecureTransport': 'true' } },
    }))).toEqual(['IAM widened: allows s3:GetObject on *']);
  });

  test('marks a resource policy statement that names no principal, even under a condition', () => {
    expect(marks(resources({}), bucketPolicy({ Condition: SECURE }))).toEqual([BUCKET_READ]);
  });

  test('marks a service and an account together under a condition: only services alone are integrations', () => {
    expect(marks(resources({}), bucketPolicy({
      Principal: { Service: 'events.amazonaws.com', AWS: 'arn:aws:iam::123456789012:root' },
      Condition: SECURE,
    }))).toEqual([BUCKET_READ]);
  });

  test('does not mark a new Deny statement', () => {
    expect(marks(resources({}), policy({ Effect: 'Deny', Action: 's3:*', Resource: '*' }))).toEqual([]);
  });

  test('does not mark a service invoking the function under a condition (how API Gateway is wired to a route)', () => {
    expect(marks(resources({}), permission({ Principal: 'apigateway.amazonaws.com', SourceArn: API }))).toEqual([]);
  });

  test('marks a service invoking the function without a condition', () => {
    expect(marks(resources({}), permission({ Principal: 'apigateway.amazonaws.com' })))
      .toEqual(['IAM widened: allows lambda:InvokeFunction on fn']);
  });

  test('marks an account invoking the function, even under a condition', () => {
    expect(marks(resources({}), permission({ Principal: '123456789012', SourceArn: API })))
      .toEqual(['IAM widened: allows lambda:InvokeFunction on fn']);
  });

  test('marks an added managed policy', () => {
    const role = (arns: string[]) => resources({
      Role: res('AWS::IAM::Role', {
        AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [] },
        ManagedPolicyArns: arns,
      }),
    });
    expect(marks(role([]), role(['arn:aws:iam::aws:policy/AdministratorAccess'])))
      .toEqual(['IAM widened: managed policy arn:aws:iam::aws:policy/AdministratorAccess attached to ${Role}']);
  });

  test('does not mark a removed managed policy or statement', () => {
    const role = (arns: string[]) => resources({
      Role: res('AWS::IAM::Role', {
        AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [] },
        ManagedPolicyArns: arns,
      }),
    });
    expect(marks(role(['arn:aws:iam::aws:policy/ReadOnlyAccess']), role([]))).toEqual([]);
    expect(marks(policy({ Effect: 'Allow', Action: 's3:*', Resource: '*' }), resources({}))).toEqual([]);
  });
});

describe('idle cost', () => {
  // gp3 costs 0.08/730 USD per GB-hour: 0.45625 GB is exactly $0.00005/h, 1 GB about $0.00011/h.
  const volume = (gb: number, type = 'gp3') => resources({
    Disk: res('AWS::EC2::Instance', {
      InstanceType: 't3.micro',
      BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { VolumeSize: gb, VolumeType: type } }],
    }),
  });

  test('marks a higher idle cost with both figures', () => {
    const before = volume(8);
    const after = resources({ ...before.Resources, Nat: res('AWS::EC2::NatGateway', { SubnetId: 's' }) });
    expect(reviewStack('Lab', before, after).lookTwice).toContain('idle cost goes up: $0.0113/h -> $0.0563/h');
  });

  test('does not mark a lower idle cost', () => {
    expect(marks(volume(8), volume(2))).toEqual([]);
  });

  test('does not mark a rise of exactly $0.00005/h', () => {
    // Before: the root volume's size is set by the AMI (no price); after: 0.45625 GB of gp3, exactly $0.00005/h more.
    const review = reviewStack(
      'Lab',
      resources({ Disk: res('AWS::EC2::Instance', { InstanceType: 't3.micro' }) }),
      volume(0.45625),
    );
    expect(review.hourlyCost.after).toBe(review.hourlyCost.before + 0.00005);
    expect(review.lookTwice).toEqual([]);
  });

  test('marks a rise just above $0.00005/h, and not one just below', () => {
    const before = resources({ Disk: res('AWS::EC2::Instance', { InstanceType: 't3.micro' }) });
    expect(marks(before, volume(0.46))).toEqual(['idle cost goes up: $0.0104/h -> $0.0105/h']);
    expect(marks(before, volume(0.45))).toEqual([]);
  });

  test('does not mark a rise within $0.00005/h: 1 GB of gp3 becoming gp2', () => {
    expect(marks(volume(1), volume(1, 'gp2'))).toEqual([]);
  });

  test('marks a rise just above $0.00005/h: 2 GB of gp3 becoming gp2', () => {
    expect(marks(volume(2), volume(2, 'gp2'))).toEqual(['idle cost goes up: $0.0106/h -> $0.0107/h']);
  });
});
