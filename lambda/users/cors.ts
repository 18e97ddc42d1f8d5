/**
 * The users API's CORS policy, in one place: the handler sends it with every answer, and the API's preflight
 * (OPTIONS, lib/constructs/users-api.ts) answers with it. No AWS import, so both the bundle and the CDK app load it.
 */
export const CORS = {
  allowOrigin: '*',
  allowHeaders: ['Content-Type'],
  allowMethods: ['GET', 'POST', 'DELETE', 'OPTIONS'],
} as const;

/** The CORS headers of every answer of the handler. */
export const CORS_HEADERS = {
  'Access-Control-Allow-Origin': CORS.allowOrigin,
  'Access-Control-Allow-Headers': CORS.allowHeaders.join(','),
  'Access-Control-Allow-Methods': CORS.allowMethods.join(','),
};
