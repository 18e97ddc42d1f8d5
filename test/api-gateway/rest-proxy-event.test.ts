import { restProxyEvent } from '../../lib/api-gateway/rest-proxy-event';

// The one builder of REST proxy events: the local run, the deployed lab's check and the handler's tests use it.
const getUser = { method: 'GET', resource: '/users/{userId}', path: '/users/42', pathParameters: { userId: '42' } };

test('builds a GET of one user on stage prod with no headers, query or body', () => {
  const event = restProxyEvent({ ...getUser, requestId: 'request-1' });
  expect(event).toEqual(expect.objectContaining({
    resource: '/users/{userId}', path: '/users/42', httpMethod: 'GET', pathParameters: { userId: '42' },
    headers: {}, multiValueHeaders: {}, queryStringParameters: null, multiValueQueryStringParameters: null,
    stageVariables: null, body: null, isBase64Encoded: false,
  }));
  expect(event.requestContext).toEqual(expect.objectContaining({
    stage: 'prod', path: '/prod/users/42', resourcePath: '/users/{userId}', httpMethod: 'GET', requestId: 'request-1',
    protocol: 'HTTP/1.1', accountId: '000000000000', apiId: 'local',
  }));
  expect(event.requestContext.identity).toEqual(expect.objectContaining({ sourceIp: '127.0.0.1', userAgent: null }));
});

test('keeps the last value of a repeated query parameter or header, and every value in the multi-value fields', () => {
  const event = restProxyEvent({
    method: 'GET', resource: '/users', path: '/users',
    query: [['limit', '1'], ['limit', '2'], ['nextToken', 'abc']],
    headers: [['Accept', 'text/plain'], ['Accept', 'application/json'], ['User-Agent', 'curl/8']],
  });
  expect(event.queryStringParameters).toEqual({ limit: '2', nextToken: 'abc' });
  expect(event.multiValueQueryStringParameters).toEqual({ limit: ['1', '2'], nextToken: ['abc'] });
  expect(event.headers).toEqual({ Accept: 'application/json', 'User-Agent': 'curl/8' });
  expect(event.multiValueHeaders).toEqual({ Accept: ['text/plain', 'application/json'], 'User-Agent': ['curl/8'] });
  expect(event.requestContext.identity.userAgent).toBe('curl/8');
});

test('takes the stage, body, encoding, caller and API it is given', () => {
  const event = restProxyEvent({
    method: 'POST', resource: '/users', path: '/users', stage: 'dev', pathParameters: {}, body: 'e30=',
    isBase64Encoded: true,
    protocol: 'HTTP/2.0', sourceIp: '192.0.2.1', userAgent: 'jest',
    api: { accountId: '123456789012', apiId: 'example', resourceId: 'resource' },
  });
  expect(event.pathParameters).toBeNull();
  expect(event).toEqual(expect.objectContaining({ body: 'e30=', isBase64Encoded: true }));
  expect(event.requestContext).toEqual(expect.objectContaining({
    stage: 'dev', path: '/dev/users', protocol: 'HTTP/2.0', accountId: '123456789012', apiId: 'example',
    resourceId: 'resource',
  }));
  expect(event.requestContext.identity).toEqual(expect.objectContaining({ sourceIp: '192.0.2.1', userAgent: 'jest' }));
});

test('gives every request its own id unless one is given', () => {
  expect(restProxyEvent(getUser).requestContext.requestId).not.toBe(restProxyEvent(getUser).requestContext.requestId);
});
