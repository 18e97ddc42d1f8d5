import { awsClients } from '../../lib/aws/clients';
import { CannotRunError } from '../../lib/cli';
import { lambdaUsersVerifier } from '../../lib/verify/labs/lambda-users';
import { verifyLab, VerifyOptions } from '../../lib/verify/verify-lab';
import { serveUsersApi, UsersApi } from './users-api-stand-in';

// verifyLab's frame around a lab's checks: which labs and modes it takes, and the lines it prints around the
// checklist. The lab is the users API as npm run local serves it, stood in over real HTTP; no AWS answer is mocked.

/** Clients for AWS itself, in a region the tests never reach: these tests must not ask AWS anything. */
const aws = awsClients({ region: 'eu-west-3', credentials: { accessKeyId: 'aws', secretAccessKey: 'aws' } });

let served: UsersApi;
beforeAll(async () => {
  served = await serveUsersApi({ functions: ['UsersFunction'] });
});
afterAll(async () => {
  await served?.api.close();
});
afterEach(() => jest.restoreAllMocks());

async function verify(options: Partial<VerifyOptions>): Promise<{ passed: boolean; lines: string[] }> {
  const lines: string[] = [];
  const passed = await verifyLab({
    stackName: 'LambdaUsersLab', localOrigin: served.api.origin, aws, timeLimitMs: 1_000, retryDelayMs: 10,
    print: (line) => lines.push(line), ...options,
  });
  return { passed, lines };
}

test.each(['NoSuchLab', 'toString'])('refuses the unknown lab %j, naming the labs, before asking anything',
  async (stackName) => {
    const requests = served.lambdaRequests.length;
    const failure = verify({ stackName });
    await expect(failure).rejects.toThrow(CannotRunError);
    await expect(failure).rejects.toThrow(`Unknown lab ${JSON.stringify(stackName)}. Labs: Ec2WebServerLab, `
      + 'Ec2AsgAlbLab, LambdaUsersLab, FargateServiceLab, BeanstalkAppLab, S3UploadsLab, EcsEventTasksLab, '
      + 'SqsWorkersLab');
    expect(served.lambdaRequests).toHaveLength(requests);
  });

test('refuses --local for a lab that npm run local does not serve, before asking anything', async () => {
  const requests = served.lambdaRequests.length;
  const failure = verify({ stackName: 'FargateServiceLab' });
  await expect(failure).rejects.toThrow(CannotRunError);
  await expect(failure).rejects.toThrow(
    '--local checks LambdaUsersLab, S3UploadsLab only: npm run local serves no other lab.');
  expect(served.lambdaRequests).toHaveLength(requests);
});

describe('around the checklist (the lab\'s checks replaced by the test\'s)', () => {
  const withChecks = (...results: Array<string | Error>) => jest.spyOn(lambdaUsersVerifier, 'checks')
    .mockImplementation(() => ({
      checks: results.map((result, i) => ({
        name: `check ${i + 1}`,
        run: async () => {
          if (result instanceof Error) throw result;
          return result;
        },
      })),
      cleanUp: async () => { throw new Error('AccessDenied: not allowed to delete'); },
    }));

  test('says what the clean-up failed on, after the checks, and still passes when every check did', async () => {
    withChecks('up');
    expect(await verify({})).toEqual({
      passed: true,
      lines: [
        `Checking LambdaUsersLab served by npm run local at ${served.api.origin}`,
        'PASS  check 1: up',
        'Clean-up: clean-up failed: AccessDenied: not allowed to delete',
        '1 of 1 checks passed.',
      ],
    });
  });

  test('fails when one check of several fails, counting those that passed', async () => {
    withChecks('up', new Error('down'), 'up too');
    const { passed, lines } = await verify({ timeLimitMs: 0 });
    expect(lines.slice(1)).toEqual([
      'PASS  check 1: up',
      'FAIL  check 2: down',
      'PASS  check 3: up too',
      'Clean-up: clean-up failed: AccessDenied: not allowed to delete',
      '2 of 3 checks passed.',
    ]);
    expect(passed).toBe(false);
  });

  test('gives the checks what is left of the time limit once the lab is found, not the whole limit again',
    async () => {
      let clock = 0;
      jest.spyOn(Date, 'now').mockImplementation(() => clock);
      jest.spyOn(lambdaUsersVerifier, 'checks').mockImplementation(() => {
        // Limit 100 from 0; the lab is found, and its checks made, at 40. Each try fails 30 after the last.
        clock = 40;
        return {
          checks: [{
            name: 'late',
            run: async () => {
              clock += 30;
              throw new Error(`not yet at ${clock}`);
            },
          }],
        };
      });
      const { lines } = await verify({ timeLimitMs: 100, retryDelayMs: 10 });
      // At 70, 70 + 10 < 100: tried again; at 100 it gives up.
      expect(lines.slice(1)).toEqual(['FAIL  late: not yet at 100 (try 2)', '0 of 1 checks passed.']);
    });
});
