import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { ResourceGroupsTaggingAPIClient } from '@aws-sdk/client-resource-groups-tagging-api';
import { S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { awsClients } from '../../lib/aws/clients';

/** The AWS clients `npm run leftovers` calls, mocked: there is no AWS account here. */
export const cloudFormation = mockClient(CloudFormationClient);
export const tagging = mockClient(ResourceGroupsTaggingAPIClient);
export const logs = mockClient(CloudWatchLogsClient);
export const ec2 = mockClient(EC2Client);
export const s3 = mockClient(S3Client);
export const iam = mockClient(IAMClient);

export const ACCOUNT = '123456789012';

/** The clients leftovers is given, in us-east-1 with test credentials; their calls reach the mocks above. */
export const clients = () => awsClients({
  region: 'us-east-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
});
