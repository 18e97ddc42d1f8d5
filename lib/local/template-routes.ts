import { CfnTemplate, resourcesOfType } from '../template/cfn-template';

/** What API Gateway answers for one method of one resource. */
export type Integration =
  | { readonly type: 'AWS_PROXY'; readonly functionId: string }
  | { readonly type: 'MOCK'; readonly statusCode: number; readonly headers: Record<string, string> };

export interface Route {
  /** The resource path as API Gateway names it, e.g. `/users/{userId}`. */
  readonly resource: string;
  readonly method: string;
  readonly integration: Integration;
}

export interface RestApiRoutes {
  readonly stage: string;
  readonly routes: Route[];
}

/**
 * The routes of the template's REST API: resources, methods and integrations as CloudFormation would create
 * them. Only what the template defines is served; everything else answers as API Gateway does.
 */
export function restApiRoutes(template: CfnTemplate): RestApiRoutes {
  const apis = resourcesOfType(template, 'AWS::ApiGateway::RestApi');
  if (apis.length !== 1) throw new Error(`expected one REST API in the template, found ${apis.length}`);
  const stages = resourcesOfType(template, 'AWS::ApiGateway::Stage');
  if (stages.length !== 1) throw new Error(`expected one stage in the template, found ${stages.length}`);

  const resources = Object.fromEntries(resourcesOfType(template, 'AWS::ApiGateway::Resource'));
  const pathOf = (resourceId: any): string => {
    const id = resourceId?.Ref;
    if (id === undefined) return '/'; // Fn::GetAtt [api, RootResourceId]
    const resource = resources[id];
    if (!resource) throw new Error(`method refers to unknown resource ${JSON.stringify(resourceId)}`);
    const parent = pathOf(resource.Properties?.ParentId);
    return `${parent === '/' ? '' : parent}/${resource.Properties?.PathPart}`;
  };

  const routes = resourcesOfType(template, 'AWS::ApiGateway::Method').map(([, method]) => {
    const props = method.Properties ?? {};
    return { resource: pathOf(props.ResourceId), method: props.HttpMethod, integration: integrationOf(props) };
  });
  return { stage: stages[0][1].Properties?.StageName, routes };
}

function integrationOf(props: Record<string, any>): Integration {
  const integration = props.Integration ?? {};
  if (integration.Type === 'AWS_PROXY') {
    const functionId = JSON.stringify(integration.Uri).match(/"Fn::GetAtt":\["([^"]+)","Arn"\]/)?.[1];
    if (!functionId) throw new Error('a Lambda proxy integration whose function is not in the template');
    return { type: 'AWS_PROXY', functionId };
  }
  if (integration.Type === 'MOCK') {
    const response = integration.IntegrationResponses?.[0] ?? {};
    const headers = Object.fromEntries(Object.entries<string>(response.ResponseParameters ?? {})
      .filter(([key]) => key.startsWith('method.response.header.'))
      .map(([key, value]) => [key.slice('method.response.header.'.length), value.replace(/^'(.*)'$/, '$1')]));
    return { type: 'MOCK', statusCode: Number(response.StatusCode ?? 200), headers };
  }
  throw new Error(`integration type ${integration.Type} is not served locally`);
}

/** Matches a request path (below the stage) to a route's resource, with its path parameters. */
export function matchResource(resource: string, path: string): Record<string, string> | undefined {
  const resourceParts = resource.split('/').filter(Boolean);
  const pathParts = path.split('/').filter(Boolean);
  if (resourceParts.length !== pathParts.length) return undefined;
  const parameters: Record<string, string> = {};
  for (const [index, part] of resourceParts.entries()) {
    const parameter = /^\{(\w+)\}$/.exec(part)?.[1];
    if (parameter) parameters[parameter] = decodeURIComponent(pathParts[index]);
    else if (part !== pathParts[index]) return undefined;
  }
  return parameters;
}
