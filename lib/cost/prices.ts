/**
 * On-demand prices in us-east-1 (Linux, USD), as published on the AWS pricing pages on PRICES_AS_OF.
 * One table, so a price change is one reviewed line. A price missing here is reported as unknown, never as zero.
 */
export const PRICES_AS_OF = '2026-11-01';
export const HOURS_PER_30_DAYS = 24 * 30;
const HOURS_PER_MONTH = 730; // how AWS converts GB-month prices to hours

/** Hourly prices. */
export const HOURLY: Record<string, number> = {
  'ec2:t2.micro': 0.0116,
  'ec2:t3.nano': 0.0052,
  'ec2:t3.micro': 0.0104,
  'ec2:t3.small': 0.0208,
  'ec2:t3.medium': 0.0416,
  'ec2:t4g.nano': 0.0042,
  'ec2:t4g.micro': 0.0084,
  'ec2:t4g.small': 0.0168,
  'ec2:t4g.medium': 0.0336,
  'ebs:gp3 per GB': 0.08 / HOURS_PER_MONTH,
  'ebs:gp2 per GB': 0.10 / HOURS_PER_MONTH,
  'vpc:public IPv4 address': 0.005,
  'vpc:NAT gateway': 0.045,
  'elb:Application Load Balancer': 0.0225,
  'fargate:x86 vCPU': 0.04048,
  'fargate:x86 GB': 0.004445,
  'fargate:arm64 vCPU': 0.03238,
  'fargate:arm64 GB': 0.00356,
  // An alarm is priced per metric it evaluates, per month: a period of 60 s or more is standard resolution, 10 or 30 s
  // high resolution. (An account's first 10 standard alarm metrics a month are free; this table prices no free tier.)
  'cloudwatch:alarm metric, standard resolution': 0.10 / HOURS_PER_MONTH,
  'cloudwatch:alarm metric, high resolution': 0.30 / HOURS_PER_MONTH,
};

/** Pay-per-use prices, listed beside the idle cost (they are zero when nobody calls the lab). */
export const PER_USE: Record<string, string> = {
  'API Gateway REST API': '$3.50 per million requests',
  'Lambda requests': '$0.20 per million requests',
  'Lambda arm64 duration': '$0.0000133334 per GB-second',
  'Lambda x86 duration': '$0.0000166667 per GB-second',
  'DynamoDB on-demand writes': '$0.625 per million write request units',
  'DynamoDB on-demand reads': '$0.125 per million read request units',
  'NAT gateway data': '$0.045 per GB processed',
  'Application Load Balancer LCU': '$0.008 per LCU-hour (about 0 when idle)',
  'CloudWatch Logs ingestion': '$0.50 per GB',
  'S3 Standard storage': '$0.023 per GB-month',
  'S3 PUT, COPY, POST and LIST requests': '$0.005 per 1,000 requests',
  'S3 GET, HEAD and other requests': '$0.0004 per 1,000 requests',
  'SQS standard requests': '$0.40 per million requests (one per 64 KB of a message)',
  'SQS FIFO requests': '$0.50 per million requests (one per 64 KB of a message)',
  'EventBridge Scheduler invocations': '$1.00 per million invocations (the first 14 million a month are free)',
  'SNS publishes': '$0.50 per million requests (one per 64 KB of a message)',
  'SNS email deliveries': '$2.00 per 100,000 emails',
  'EventBridge rules on AWS service events': 'no charge (events that AWS services send to the default bus are free)',
};
