import { PLACEHOLDERS, STUDENT_POLICY, studentActions } from '../../lib/classroom/student-policy';

// The shape of every resource of the students' policy: IAM accepts an empty or malformed ARN without complaint, and
// a statement whose ARN names another service than its actions allows nothing. test/classroom/student-policy.test.ts
// checks which actions and which names; this file checks that each resource is one IAM can match.

const { partition, region, account } = PLACEHOLDERS;
const escape = (text: string) => text.replace(/[$:{}]/g, '\\$&');
/** arn:<partition>:<service>:<region or none>:<account or none>:<resource>, with the policy's placeholders. */
const ARN = new RegExp(`^arn:${escape(partition)}:([a-z0-9-]+):((?:${escape(region)})?):`
  + `((?:${escape(account)})?):(.+)$`);

/** The service of an action's resources: sts:AssumeRole acts on IAM roles. */
const resourceService = (action: string) => (action.startsWith('sts:') ? 'iam' : action.split(':')[0]);

/** Services whose ARNs name no region (IAM, S3) or no account (S3, and AWS's public SSM parameters). */
const GLOBAL = ['iam', 's3'];

describe('every resource of the students\' policy', () => {
  test.each(STUDENT_POLICY.map((statement) => [statement.sid, statement]))('%s has resources', (_sid, statement) => {
    expect(statement.resources.length).toBeGreaterThan(0);
    expect(statement.resources.every((resource) => resource.length > 0)).toBe(true);
  });

  test('is "*" alone, or an ARN of its actions\' service with a resource part', () => {
    const problems = STUDENT_POLICY.flatMap(({ sid, actions, resources }) => {
      if (resources.includes('*')) return resources.length === 1 ? [] : [`${sid}: "*" among other resources`];
      const services = [...new Set(actions.map(resourceService))];
      return resources.flatMap((resource) => {
        const [, service, arnRegion, arnAccount] = ARN.exec(resource) ?? [];
        if (service === undefined) return [`${sid}: ${resource} is not an ARN with a resource`];
        const problem = services.length !== 1 || services[0] !== service ? `names ${service}, acts on ${services}`
          : GLOBAL.includes(service) !== (arnRegion === '') ? `a region part of "${arnRegion}"`
            : service === 's3' && arnAccount !== '' ? `an account part of "${arnAccount}"` : undefined;
        return problem === undefined ? [] : [`${sid}: ${resource}: ${problem}`];
      });
    });
    expect(problems).toEqual([]);
  });

  test('names an account wherever the service puts one in its ARNs: all but S3 and AWS\'s public parameters', () => {
    const withoutAccount = STUDENT_POLICY.flatMap(({ resources }) => resources)
      .filter((resource) => resource !== '*' && ARN.exec(resource)?.[3] === '');
    expect(withoutAccount).toEqual([
      `arn:${partition}:s3:::*`,
      `arn:${partition}:ssm:${region}::parameter/aws/service/global-infrastructure/*`,
      `arn:${partition}:s3:::*/*verify *`,
    ]);
  });

  test('the check above tells each kind of bad resource apart from good ones', () => {
    const good = [`arn:${partition}:iam::${account}:role/*`, `arn:${partition}:sqs:${region}:${account}:*`];
    const bad = [
      '', `arn:${partition}:sqs:${region}:${account}:`, `arn:${partition}::${region}:${account}:x`,
      `arn:aws:sqs:${region}:${account}:*`, `sqs:${region}:${account}:*`,
    ];
    expect(good.map((resource) => ARN.test(resource))).toEqual([true, true]);
    expect(bad.map((resource) => ARN.test(resource))).toEqual([false, false, false, false, false]);
  });
});

test('passes the labs\' task roles to ECS tasks only', () => {
  const passRole = STUDENT_POLICY.filter((statement) => statement.actions.includes('iam:PassRole'));
  expect(passRole.map((statement) => statement.conditions?.StringEquals?.['iam:PassedToService']))
    .toEqual(['ecs-tasks.amazonaws.com']);
});

describe('studentActions', () => {
  test('lists every statement\'s actions once each, sorted', () => {
    expect(studentActions([
      { sid: 'A', actions: ['sqs:SendMessage', 'ecs:RunTask'], resources: ['*'], why: 'x' },
      { sid: 'B', actions: ['ecs:RunTask', 'dynamodb:Query'], resources: ['*'], why: 'x' },
    ])).toEqual(['dynamodb:Query', 'ecs:RunTask', 'sqs:SendMessage']);
  });

  test('of the students\' policy by default', () => {
    expect(studentActions()).toEqual(studentActions(STUDENT_POLICY));
    expect(studentActions()).toContain('iam:PassRole');
  });
});
