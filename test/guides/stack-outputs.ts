/** What the outputs of a deployed stack would say, from its template. */
export interface DeployedStack {
  readonly stackName: string;
  readonly region: string;
  readonly account: string;
}

/**
 * A template's outputs as DescribeStacks would return them: Ref and Fn::GetAtt become made-up physical names and
 * attributes (`i-...` for an instance), Fn::Join, Fn::Sub and Fn::Select are evaluated. A command in an output (the
 * StressCommand) so stays runnable.
 */
export function resolveOutputs(template: any, stack: DeployedStack): Record<string, string> {
  return Object.fromEntries(Object.entries<any>(template.Outputs ?? {})
    .map(([key, output]) => [key, String(resolve(output.Value, template, stack))]));
}

function resolve(value: any, template: any, stack: DeployedStack): any {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map((item) => resolve(item, template, stack));
  if ('Ref' in value) return ref(value.Ref, template, stack);
  if ('Fn::GetAtt' in value) {
    const [id, attribute] = value['Fn::GetAtt'];
    return attribute === 'Arn'
      ? `arn:aws:service:${stack.region}:${stack.account}:${id.toLowerCase()}`
      : `${id.toLowerCase()}-${attribute.toLowerCase()}.${stack.region}.example.com`;
  }
  if ('Fn::Join' in value) {
    const [separator, parts] = value['Fn::Join'];
    return resolve(parts, template, stack).join(separator);
  }
  if ('Fn::Select' in value) {
    const [index, list] = value['Fn::Select'];
    return resolve(list, template, stack)[Number(index)];
  }
  if ('Fn::Sub' in value) {
    const [text, variables] = Array.isArray(value['Fn::Sub']) ? value['Fn::Sub'] : [value['Fn::Sub'], {}];
    return text.replace(/\$\{([^}]+)\}/g, (_: string, name: string) => String(name in variables
      ? resolve(variables[name], template, stack)
      : name.includes('.')
        ? resolve({ 'Fn::GetAtt': name.split('.') }, template, stack)
        : ref(name, template, stack)));
  }
  return JSON.stringify(value);
}

/**
 * A resource's physical id as CloudFormation would name it: stack, logical id and a suffix; lower case for a bucket.
 */
export function ref(id: string, template: any, stack: DeployedStack): string {
  switch (id) {
    case 'AWS::Region': return stack.region;
    case 'AWS::AccountId': return stack.account;
    case 'AWS::URLSuffix': return 'amazonaws.com';
    case 'AWS::Partition': return 'aws';
    case 'AWS::StackName': return stack.stackName;
    default: break;
  }
  const type: string = template.Resources?.[id]?.Type ?? '';
  const hex = [...id].reduce((hash, char) => (hash * 31 + char.charCodeAt(0)) >>> 0, 7).toString(16).padStart(8, '0');
  if (type === 'AWS::EC2::Instance') return `i-0${hex}abcdef01`;
  if (type === 'AWS::S3::Bucket') return `${stack.stackName}-${id}-${hex}`.toLowerCase();
  return `${stack.stackName}-${id}-${hex.toUpperCase()}`;
}
