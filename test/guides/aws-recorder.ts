import * as http from 'http';
import { AddressInfo } from 'net';
import { ref, resolveOutputs } from './stack-outputs';

/** One request the AWS CLI sent to the recorder. */
export interface RecordedRequest {
  /** The AWS_EXECUTION_ENV of the CLI process that sent it (the shim sets one per command), from its User-Agent. */
  readonly call?: string;
  /**
   * The signing name of the service (`ec2`, `s3`, `cloudformation`) and the region, from the SigV4 credential
   * scope.
   */
  readonly service: string;
  readonly region: string;
  /** The operation, where the protocol names it (query: Action, JSON: X-Amz-Target); REST protocols do not. */
  readonly operation?: string;
  readonly method: string;
  readonly path: string;
  /** The status the recorder answered with, and why when it is an error. */
  readonly status: number;
  readonly error?: string;
}

export interface RecorderWorld {
  /** The account the credentials belong to. */
  readonly account: string;
  /** Templates by stack name: DescribeStacks answers with their outputs; other stack names do not exist. */
  readonly templates: Record<string, any>;
}

export interface AwsRecorder {
  readonly endpoint: string;
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
}

/**
 * A local HTTP endpoint for the AWS CLI that records each request and answers with a minimal valid response, so the
 * CLI proceeds as it would against AWS: an empty result in the service's protocol (query/XML, EC2, JSON, REST), and
 * for the calls whose answers a guide uses, a small account: the labs' stacks with their outputs, Beanstalk's bucket
 * for the region, one AMI with a snapshot, platform branches with spaces in their names. A parameter left empty (an
 * unset shell variable) and a bucket or stack that does not exist are errors, as in AWS.
 */
export async function startAwsRecorder(world: RecorderWorld): Promise<AwsRecorder> {
  const requests: RecordedRequest[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf-8');
      const answer = answerRequest(world, request, body);
      requests.push(answer.record);
      response.writeHead(answer.record.status, {
        'content-type': answer.contentType,
        'x-amzn-requestid': 'guide-test',
        'x-amz-request-id': 'guide-test',
      });
      response.end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

interface Answer {
  readonly record: RecordedRequest;
  readonly contentType: string;
  readonly body: string;
}

type Protocol = 'query' | 'ec2' | 'json' | 'rest-json' | 'rest-xml';

/** Services whose REST protocol is XML; other REST services speak JSON. */
const REST_XML = new Set(['s3', 'route53', 'cloudfront']);

function answerRequest(world: RecorderWorld, request: http.IncomingMessage, body: string): Answer {
  const scope = /Credential=[^/]+\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/
    .exec(String(request.headers.authorization ?? ''));
  const region = scope?.[1] ?? '';
  const service = scope?.[2] ?? '';
  const call = /exec-env\/(\S+)/.exec(String(request.headers['user-agent'] ?? ''))?.[1];
  const url = new URL(request.url ?? '/', 'http://recorder');
  const target = request.headers['x-amz-target'];
  const form = String(request.headers['content-type'] ?? '').includes('x-www-form-urlencoded')
    ? new URLSearchParams(body)
    : undefined;

  let protocol: Protocol;
  let operation: string | undefined;
  let params: Record<string, unknown> = {};
  if (typeof target === 'string') {
    protocol = 'json';
    operation = target.split('.').pop();
    params = body ? JSON.parse(body) : {};
  } else if (form?.has('Action')) {
    protocol = service === 'ec2' ? 'ec2' : 'query';
    operation = form.get('Action')!;
    params = Object.fromEntries(form.entries());
  } else {
    protocol = REST_XML.has(service) ? 'rest-xml' : 'rest-json';
  }

  const context: RequestContext = { world, region, service, operation, params, method: request.method ?? 'GET', url };
  const base = { call, service, region, operation, method: context.method, path: url.pathname + url.search };
  const empty = emptyParameter(params);
  const result: Result = empty !== undefined
    ? {
      error: {
        status: 400,
        code: 'ValidationError',
        message: `Parameter ${empty} is empty: the command used a shell variable that is not set`,
      },
    }
    : respond(context);
  if ('error' in result) {
    return {
      record: { ...base, status: result.error.status, error: `${result.error.code}: ${result.error.message}` },
      ...errorBody(protocol, result.error),
    };
  }
  return { record: { ...base, status: result.status ?? 200 }, ...successBody(protocol, operation, result) };
}

interface RequestContext {
  readonly world: RecorderWorld;
  readonly region: string;
  readonly service: string;
  readonly operation?: string;
  readonly params: Record<string, unknown>;
  readonly method: string;
  readonly url: URL;
}

interface ApiError { readonly status: number; readonly code: string; readonly message: string }

/** What to answer: XML inside the result element (query, EC2), a JSON object, a REST body, or an error. */
type Result = { readonly xml?: string; readonly json?: unknown; readonly raw?: string; readonly status?: number }
  | { readonly error: ApiError };

function respond(context: RequestContext): Result {
  const { world, region, service, operation, params } = context;
  const key = `${service}:${operation ?? `${context.method} ${restRoute(context)}`}`;
  switch (key) {
    case 'sts:GetCallerIdentity':
      return {
        xml: `<Account>${world.account}</Account><Arn>arn:aws:iam::${world.account}:user/student</Arn>`
          + `<UserId>AIDAGUIDETEST</UserId>`,
      };
    case 'cloudformation:DescribeStacks': {
      const name = String(params.StackName ?? '');
      const template = world.templates[name];
      if (!template) {
        return { error: { status: 400, code: 'ValidationError', message: `Stack with id ${name} does not exist` } };
      }
      const outputs = Object.entries(resolveOutputs(template, { stackName: name, region, account: world.account }))
        .map(([outputKey, value]) =>
          `<member><OutputKey>${xml(outputKey)}</OutputKey><OutputValue>${xml(value)}</OutputValue></member>`)
        .join('');
      return {
        xml: `<Stacks><member><StackName>${xml(name)}</StackName>`
          + `<StackId>arn:aws:cloudformation:${region}:${world.account}:stack/${xml(name)}/guide</StackId>`
          + `<StackStatus>CREATE_COMPLETE</StackStatus><CreationTime>2026-01-01T00:00:00Z</CreationTime>`
          + `<Outputs>${outputs}</Outputs></member></Stacks>`,
      };
    }
    case 'ec2:DescribeAvailabilityZones':
      return {
        xml: `<availabilityZoneInfo><item><zoneName>${region}a</zoneName><zoneState>available</zoneState>`
          + `<regionName>${region}</regionName></item></availabilityZoneInfo>`,
      };
    case 'ec2:CreateImage':
      return { xml: `<imageId>${AMI}</imageId>` };
    case 'ec2:DescribeImages':
      return {
        xml: `<imagesSet><item><imageId>${AMI}</imageId><name>WebServer-AMI-20260101-1200</name>`
          + `<imageState>available</imageState><blockDeviceMapping><item><deviceName>/dev/xvda</deviceName>`
          + `<ebs><snapshotId>snap-0123456789abcdef0</snapshotId></ebs></item></blockDeviceMapping></item></imagesSet>`,
      };
    case 'ec2:DeregisterImage':
      return params.ImageId === AMI
        ? { xml: '<return>true</return>' }
        : {
          error: {
            status: 400,
            code: 'InvalidAMIID.NotFound',
            message: `The image id '[${String(params.ImageId)}]' does not exist`,
          },
        };
    case 'ec2:DescribeNetworkInterfaces':
      return {
        xml: '<networkInterfaceSet><item><networkInterfaceId>eni-0123456789abcdef0</networkInterfaceId>'
          + '<association><publicIp>203.0.113.10</publicIp></association></item></networkInterfaceSet>',
      };
    case 'autoscaling:DescribeAutoScalingGroups':
      return {
        xml: `<AutoScalingGroups><member><AutoScalingGroupName>`
          + `${xml(String(params['AutoScalingGroupNames.member.1'] ?? 'group'))}</AutoScalingGroupName>`
          + `<MinSize>2</MinSize><MaxSize>4</MaxSize><DesiredCapacity>2</DesiredCapacity>`
          + `<DefaultCooldown>300</DefaultCooldown><AvailabilityZones><member>${region}a</member></AvailabilityZones>`
          + `<HealthCheckType>ELB</HealthCheckType><CreatedTime>2026-01-01T00:00:00Z</CreatedTime>`
          + `<Instances><member><InstanceId>i-0123456789abcdef0</InstanceId>`
          + `<AvailabilityZone>${region}a</AvailabilityZone><LifecycleState>InService</LifecycleState>`
          + `<HealthStatus>Healthy</HealthStatus><ProtectedFromScaleIn>false</ProtectedFromScaleIn>`
          + `</member></Instances></member></AutoScalingGroups>`,
      };
    case 'ecs:ListTasks':
      return { json: { taskArns: [`arn:aws:ecs:${region}:${world.account}:task/cluster/0123456789abcdef0`] } };
    case 'ecs:DescribeTasks':
      return {
        json: {
          tasks: [{
            attachments: [{
              type: 'ElasticNetworkInterface',
              details: [{ name: 'networkInterfaceId', value: 'eni-0123456789abcdef0' }],
            }],
          }],
          failures: [],
        },
      };
    // `aws logs tail` reads the events of its answer, and stops when there is no nextToken.
    case 'logs:FilterLogEvents':
      return { json: { events: [], searchedLogStreams: [] } };
    case 'ssm:StartSession':
      return {
        json: {
          SessionId: 'student-0123456789abcdef0',
          TokenValue: 'token',
          StreamUrl: `wss://ssmmessages.${region}.amazonaws.com/v1/data-channel/student-0123456789abcdef0`,
        },
      };
    case 'elasticbeanstalk:ListPlatformBranches':
      return {
        xml: `<PlatformBranchSummaryList>${PLATFORM_BRANCHES.map((name) =>
          `<member><PlatformName>Node.js</PlatformName><BranchName>${name}</BranchName>`
          + `<LifecycleState>supported</LifecycleState></member>`).join('')}</PlatformBranchSummaryList>`,
      };
    case 'elasticbeanstalk:ListPlatformVersions':
      return {
        xml: `<PlatformSummaryList><member>`
          + `<PlatformArn>arn:aws:elasticbeanstalk:${region}::platform/${PLATFORM_BRANCHES[0]}/6.6.0</PlatformArn>`
          + `<PlatformStatus>Ready</PlatformStatus><PlatformLifecycleState>Recommended</PlatformLifecycleState>`
          + `</member></PlatformSummaryList>`,
      };
    case 'lambda:GET /2015-03-31/functions/':
      return {
        json: {
          Functions: Object.values(world.templates).flatMap((template) => Object.entries<any>(template.Resources ?? {})
            .filter(([, resource]) => resource.Type === 'AWS::Lambda::Function')
            .map(([id]) => ({ FunctionName: id }))),
        },
      };
    case 'lambda:POST /2015-03-31/functions/{name}/invocations':
      return { raw: '{"statusCode":200,"body":"{\\"users\\":[]}"}' };
    default:
      break;
  }
  if (service === 's3') return respondS3(context);
  return {};
}

const AMI = 'ami-0123456789abcdef0';

/** Names as AWS writes them, with spaces: a guide that prints several on one line makes them ambiguous. */
export const PLATFORM_BRANCHES = [
  'Node.js 22 running on 64bit Amazon Linux 2023',
  'Node.js 20 running on 64bit Amazon Linux 2023',
];

/**
 * The account's buckets: Elastic Beanstalk's (`elasticbeanstalk-<region>-<account>`) and those of the deployed labs.
 * Objects are accepted and deleted without being kept.
 */
function respondS3(context: RequestContext): Result {
  const bucket = decodeURIComponent(context.url.pathname.split('/')[1] ?? '');
  const key = context.url.pathname.split('/').slice(2).join('/');
  const existing = [`elasticbeanstalk-${context.region}-${context.world.account}`, ...labBuckets(context)];
  if (bucket === '') return { xml: '' };
  if (!existing.includes(bucket)) {
    return {
      error: {
        status: 404,
        code: 'NoSuchBucket',
        message: `The specified bucket does not exist: ${bucket} (this account has ${existing.join(', ')})`,
      },
    };
  }
  if (context.method === 'DELETE') return { status: 204, raw: '' };
  if (context.method === 'PUT' && key !== '') return { raw: '' };
  if (context.method === 'GET' && context.url.searchParams.has('list-type')) {
    return { raw: `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${bucket}</Name><Prefix></Prefix><KeyCount>0</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated></ListBucketResult>` };
  }
  return { raw: '' };
}

/** The names of the labs' buckets, as their stacks' outputs give them. */
function labBuckets(context: RequestContext): string[] {
  return Object.entries(context.world.templates).flatMap(([stackName, template]) =>
    Object.entries<any>(template.Resources ?? {})
      .filter(([, resource]) => resource.Type === 'AWS::S3::Bucket')
      .map(([id]) => ref(id, template, { stackName, region: context.region, account: context.world.account })));
}

/** The route of a REST request with the function name as `{name}`, for the few REST calls answered specially. */
function restRoute(context: RequestContext): string {
  return context.url.pathname.replace(/^(\/2015-03-31\/functions\/)[^/]+(\/invocations)$/, '$1{name}$2');
}

/** The first parameter whose value is an empty string, by its name in the request. */
function emptyParameter(params: Record<string, unknown>, prefix = ''): string | undefined {
  for (const [name, value] of Object.entries(params)) {
    if (value === '') return `${prefix}${name}`;
    if (value && typeof value === 'object') {
      const nested = emptyParameter(value as Record<string, unknown>, `${prefix}${name}.`);
      if (nested) return nested;
    }
  }
  return undefined;
}

function successBody(
  protocol: Protocol,
  operation: string | undefined,
  result: Exclude<Result, { error: ApiError }>,
): { contentType: string; body: string } {
  switch (protocol) {
    case 'query':
      return {
        contentType: 'text/xml',
        body: `<${operation}Response><${operation}Result>${result.xml ?? ''}</${operation}Result>`
          + `<ResponseMetadata><RequestId>guide-test</RequestId></ResponseMetadata></${operation}Response>`,
      };
    case 'ec2':
      return { contentType: 'text/xml', body: `<${operation}Response xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>guide-test</requestId>${result.xml ?? ''}</${operation}Response>` };
    case 'json':
      return { contentType: 'application/x-amz-json-1.1', body: JSON.stringify(result.json ?? {}) };
    case 'rest-xml':
      return { contentType: 'application/xml', body: result.raw ?? '' };
    case 'rest-json':
      return { contentType: 'application/json', body: result.raw ?? JSON.stringify(result.json ?? {}) };
  }
}

function errorBody(protocol: Protocol, error: ApiError): { contentType: string; body: string } {
  switch (protocol) {
    case 'ec2':
      return {
        contentType: 'text/xml',
        body: `<Response><Errors><Error><Code>${error.code}</Code><Message>${xml(error.message)}</Message></Error>`
          + `</Errors><RequestID>guide-test</RequestID></Response>`,
      };
    case 'query':
      return {
        contentType: 'text/xml',
        body: `<ErrorResponse><Error><Type>Sender</Type><Code>${error.code}</Code>`
          + `<Message>${xml(error.message)}</Message></Error><RequestId>guide-test</RequestId></ErrorResponse>`,
      };
    case 'rest-xml':
      return {
        contentType: 'application/xml',
        body: `<Error><Code>${error.code}</Code><Message>${xml(error.message)}</Message></Error>`,
      };
    default:
      return {
        contentType: 'application/x-amz-json-1.1',
        body: JSON.stringify({ __type: error.code, message: error.message }),
      };
  }
}

function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
