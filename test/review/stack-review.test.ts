import { formatReview } from '../../lib/review/format-review';
import { reviewStack } from '../../lib/review/stack-review';

// The marks on hand-written templates: each change a reviewer must look at twice, and none on a harmless one.
const group = (ingress: object[]) => ({
  Type: 'AWS::EC2::SecurityGroup',
  Properties: { GroupDescription: 'web', VpcId: 'vpc-1', SecurityGroupIngress: ingress },
});
const http = { IpProtocol: 'tcp', FromPort: 80, ToPort: 80, CidrIp: '10.0.0.0/16' };

test('marks a new NAT gateway, the idle cost it adds, and SSH opened to the world', () => {
  const before = { Resources: { Web: group([http]) } };
  const after = { Resources: {
    Web: group([http, { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIp: '0.0.0.0/0' }]),
    Nat: { Type: 'AWS::EC2::NatGateway', Properties: { SubnetId: 'subnet-1', AllocationId: 'eipalloc-1' } },
  } };
  expect(reviewStack('Lab', before, after).lookTwice).toEqual([
    'new NAT gateway Nat: about $0.045/h each, plus data',
    'new ingress from 0.0.0.0/0 (TCP 22) to ${Web.GroupId}',
    expect.stringMatching(/^idle cost goes up: \$0\.0000\/h -> \$0\.0\d+\/h$/),
  ]);
});

test('marks a log group deleted with its data, and nothing for a narrower rule', () => {
  const before = {
    Resources: { Web: group([http]), Logs: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 7 } } },
  };
  const after = { Resources: { Web: group([{ ...http, CidrIp: '10.0.1.0/24' }]) } };
  const review = reviewStack('Lab', before, after);
  expect(review.lookTwice).toEqual(['AWS::Logs::LogGroup Logs will be deleted, with its data']);
  expect(review.status).toBe('changed');
});

test('reports a stack that only one revision has as added or removed', () => {
  const template = { Resources: { Web: group([http]) } };
  expect(reviewStack('Lab', undefined, template).status).toBe('added');
  expect(reviewStack('Lab', template, undefined).status).toBe('removed');
  expect(reviewStack('Lab', template, template))
    .toEqual(expect.objectContaining({ status: 'unchanged', changes: '', lookTwice: [], assetOnly: [] }));
});

test('says there are no infrastructure changes when no stack changes', () => {
  const template = { Resources: { Web: group([http]) } };
  const review = { base: 'abc1234', head: 'def5678', dirty: false, stacks: [reviewStack('Lab', template, template)] };
  expect(formatReview(review))
    .toBe('Infrastructure review: abc1234 (base) -> def5678\nNo infrastructure changes in 1 stack.');
});

describe('asset hashes', () => {
  const fn = (key: string, memory: number) => ({
    Type: 'AWS::Lambda::Function',
    Properties: { Code: { S3Bucket: 'assets', S3Key: key }, MemorySize: memory },
  });
  const OLD = `${'a'.repeat(64)}.zip`;
  const NEW = `${'b'.repeat(64)}.zip`;

  test('lists a resource whose only change is an asset hash apart, and leaves it out of the diff', () => {
    const review = reviewStack('Lab', { Resources: { Fn: fn(OLD, 128), Other: fn(OLD, 128) } },
      { Resources: { Fn: fn(NEW, 128), Other: fn(NEW, 256) } });
    expect(review).toEqual(expect.objectContaining({
      status: 'changed',
      assetOnly: ['Fn'],
      changes: ['Resources', '[~] AWS::Lambda::Function Other', ' └─ [~] MemorySize', '     ├─ [-] 128',
        '     └─ [+] 256'].join('\n'),
    }));
  });

  test('reports a stack whose only changes are asset hashes as changed, with no diff, its resources sorted', () => {
    const review = reviewStack('Lab', { Resources: { B: fn(OLD, 128), A: fn(OLD, 128), Same: fn(OLD, 64) } },
      { Resources: { B: fn(NEW, 128), A: fn(NEW, 128), Same: fn(OLD, 64) } });
    expect(review).toEqual(expect.objectContaining({ status: 'changed', assetOnly: ['A', 'B'], changes: '' }));
  });
});

test('renders the diff as cdk diff prints it, without colours or a trailing newline', () => {
  const queue = { Type: 'AWS::SQS::Queue', Properties: {} };
  expect(reviewStack('Lab', { Resources: { Queue: queue } },
    { Resources: { Queue: queue, Topic: { Type: 'AWS::SNS::Topic', Properties: {} } } }).changes)
    .toBe('Resources\n[+] AWS::SNS::Topic Topic');
});
