import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { awsClients, withClients } from '../../lib/aws/clients';

const config = { region: 'eu-west-3', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };

test('creates a client when it is first read, then gives the same one', () => {
  const clients = awsClients(config);
  const first = clients.s3;
  expect(first).toBeInstanceOf(S3Client);
  expect(clients.s3).toBe(first);
  expect(clients.dynamodb).toBeInstanceOf(DynamoDBClient);
});

test('gives two sets of clients clients of their own, each with its config', async () => {
  const [one, other] = [awsClients(config), awsClients({ ...config, region: 'us-east-1' })];
  expect(one.s3).not.toBe(other.s3);
  expect([await one.s3.config.region(), await other.s3.config.region()]).toEqual(['eu-west-3', 'us-east-1']);
});

test('lists every client as a property, as an object of clients would', () => {
  expect(Object.keys(awsClients(config)).sort()).toEqual(['autoScaling', 'cloudFormation', 'dynamodb', 'ec2', 'ecs',
    'elasticBeanstalk',
    'elbv2', 'iam', 'lambda', 'logs', 's3', 'serviceQuotas', 'sqs', 'ssm', 'sts', 'tagging']);
});

test('replaces some clients and keeps the others, still created on first read', () => {
  const clients = awsClients(config);
  const s3 = new S3Client(config);
  const replaced = withClients(clients, { s3 });
  expect(replaced.s3).toBe(s3);
  expect(replaced.dynamodb).toBe(clients.dynamodb);
  expect(Object.keys(replaced)).toEqual(Object.keys(clients));
  expect(Object.getOwnPropertyDescriptor(replaced, 'ec2')?.get).toBeDefined();
});
