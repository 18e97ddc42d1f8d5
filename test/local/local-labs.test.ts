import * as path from 'path';
import { parseArgs as parseLocalArgs } from '../../bin/local';
import { parseArgs as parseVerifyArgs } from '../../bin/verify';
import { dynamoDbPortOf } from '../../lib/local/port';
import { uploadTriggers } from '../../lib/local/uploads-run';
import { environmentWithoutAws, runCommand } from '../helpers/run-command';
import { synthLabs, templateOf } from '../helpers/synth';
import { joinRegExp } from '../helpers/join-regexp';

jest.setTimeout(30_000);

const ROOT = path.join(__dirname, '..', '..');

test('npm run local takes LambdaUsersLab (the default) or S3UploadsLab, with the same options', () => {
  expect(parseLocalArgs(['LambdaUsersLab'], {}))
    .toEqual({ lab: 'LambdaUsersLab', port: 3000, dataDir: path.join(ROOT, '.local') });
  expect(parseLocalArgs(['S3UploadsLab', '--port', '3100', '--in-memory'], {}))
    .toEqual({ lab: 'S3UploadsLab', port: 3100, dataDir: undefined });
  expect(parseLocalArgs(['--data-dir', 'somewhere', 'S3UploadsLab'], { PORT: '8080' }))
    .toEqual({ lab: 'S3UploadsLab', port: 8080, dataDir: path.resolve('somewhere') });
});

test('fails on a lab npm run local does not run, or two labs, naming the labs it runs', () => {
  expect(() => parseLocalArgs(['FargateServiceLab'], {}))
    .toThrow('unknown lab "FargateServiceLab": npm run local runs LambdaUsersLab, S3UploadsLab');
  expect(() => parseLocalArgs(['toString'], {})).toThrow('unknown lab "toString"');
  expect(() => parseLocalArgs(['S3UploadsLab', 'LambdaUsersLab'], {}))
    .toThrow('one lab at a time: got S3UploadsLab and LambdaUsersLab');
});

test('S3UploadsLab serves DynamoDB on the port after S3, so its port can be at most 65534', () => {
  expect(dynamoDbPortOf(65534)).toBe(65535);
  expect(parseLocalArgs(['S3UploadsLab', '--port', '65534'], {})).toEqual(expect.objectContaining({ port: 65534 }));
  expect(() => parseLocalArgs(['S3UploadsLab', '--port', '65535'], {})).toThrow(
    '--port (or PORT) must be at most 65534 for S3UploadsLab, whose DynamoDB listens on the next port, got 65535',
  );
  expect(parseLocalArgs(['LambdaUsersLab', '--port', '65535'], {})).toEqual(expect.objectContaining({ port: 65535 }));
});

test('npm run verify -- S3UploadsLab --local reads the port of the local run', () => {
  expect(parseVerifyArgs(['S3UploadsLab', '--local', '--port', '3100'], {})).toEqual({ stackName: 'S3UploadsLab', localOrigin: 'http://127.0.0.1:3100', timeLimitMs: 60_000 });
  expect(parseVerifyArgs(['S3UploadsLab', '--local'], { PORT: '3200' })).toEqual({ stackName: 'S3UploadsLab', localOrigin: 'http://127.0.0.1:3200', timeLimitMs: 60_000 });
  expect(() => parseVerifyArgs(['S3Uploads', '--local'], {})).toThrow('unknown lab "S3Uploads"');
});

test('invokes the uploads function as the template\'s notification says: objects created under uploads/, '
  + 'retried twice', () => {
  const template = templateOf(synthLabs(['S3UploadsLab']), 'S3UploadsLab');
  const [bucketId] = Object.entries(template.Resources)
    .find(([, resource]: [string, any]) => resource.Type === 'AWS::S3::Bucket')!;
  expect(uploadTriggers(template, bucketId)).toEqual([{
    functionId: expect.stringMatching(/^UploadProcessorUploadsFunction/),
    events: ['s3:ObjectCreated:*'],
    prefix: 'uploads/',
    suffix: '',
    maximumRetryAttempts: 2,
  }]);
});

test('npm run verify -- S3UploadsLab --local says how to start the lab when nothing answers', async () => {
  const { code, stderr } = await runCommand(
    'bin/verify.ts',
    ['S3UploadsLab', '--local', '--port', '9', '--time-limit', '0'],
    environmentWithoutAws(),
  );
  expect(stderr).toMatch(joinRegExp(
    /^Nothing answers S3 at http:\/\/127\.0\.0\.1:9 or DynamoDB at http:\/\/127\.0\.0\.1:10 \(.*\)\. /m,
    /Start the lab with `npm run local -- S3UploadsLab` in another terminal \(same --port or PORT\)/,
  ));
  expect(code).toBe(2);
});
