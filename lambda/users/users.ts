// zod/mini: the same validation as zod with a tree-shakable API, about 16 KB in the bundle instead of 440 KB.
import * as z from 'zod/mini';

/**
 * The users API's rules, with no AWS in them: what a valid user, id, page size and page token are,
 * and the errors a client can cause. The handler maps these errors to HTTP statuses.
 */

export const MAX_BODY_BYTES = 16 * 1024;
export const DEFAULT_PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 100;

const USER_ID_RULE = 'userId must be 1-64 characters of letters, digits, "_", "." or "-"';

export const userIdSchema = z.string({ error: USER_ID_RULE }).check(
  z.regex(/^[A-Za-z0-9_.-]{1,64}$/, { error: USER_ID_RULE }),
);

export const newUserSchema = z.strictObject({
  userId: userIdSchema,
  name: z.string({ error: 'name must be a string of 1-200 characters' }).check(
    z.maxLength(200, { error: 'name must be at most 200 characters' }),
    z.refine((name) => name.trim().length > 0, { error: 'name must not be blank' }),
  ),
  email: z.optional(z.email({ error: 'email must be a valid address such as "ada@example.com"' })
    .check(z.maxLength(254, { error: 'email must be at most 254 characters' }))),
});

export type NewUser = z.infer<typeof newUserSchema>;

/** A user as stored and returned. */
export interface User extends NewUser {
  readonly createdAt: string;
}

/** The last key of a page, carried (opaquely to the client) in nextToken. */
export interface PageKey {
  readonly userId: string;
}

const pageKeySchema = z.strictObject({ userId: userIdSchema });

/** An error the client caused: the handler answers it with its status and message. */
export class ClientError extends Error {
  constructor(public readonly statusCode: 400 | 404 | 409 | 413, message: string) {
    super(message);
    this.name = 'ClientError';
  }
}

export const userNotFound = () => new ClientError(404, 'User not found');
export const userExists = () => new ClientError(409, 'User already exists');

/** Parses a POST body (a JSON text) into a new user, or throws a ClientError that says what to fix. */
export function parseNewUser(body: string | null | undefined, now: Date): User {
  if (body === null || body === undefined || body.trim() === '') {
    throw new ClientError(400, 'Request body is required: a JSON object with userId, name and optionally email');
  }
  if (Buffer.byteLength(body, 'utf-8') > MAX_BODY_BYTES) {
    throw new ClientError(413, `Request body must be at most ${MAX_BODY_BYTES} bytes`);
  }
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new ClientError(400, 'Request body must be valid JSON');
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new ClientError(400, 'Request body must be a JSON object with userId, name and optionally email');
  }
  const result = newUserSchema.safeParse(json);
  if (!result.success) throw new ClientError(400, describeIssues(result.error.issues, json as Record<string, unknown>));
  return { ...result.data, createdAt: now.toISOString() };
}

/** Checks a userId taken from the path. */
export function parseUserId(raw: string | undefined): string {
  const result = userIdSchema.safeParse(raw);
  if (!result.success) throw new ClientError(400, USER_ID_RULE);
  return result.data;
}

/** Parses `?limit=` (1-100, default 25) and `?nextToken=`. */
export function parseListQuery(
  query: Record<string, string | undefined> | null | undefined,
): { limit: number; startKey?: PageKey } {
  const rawLimit = query?.limit;
  let limit = DEFAULT_PAGE_SIZE;
  if (rawLimit !== undefined) {
    if (!/^\d{1,3}$/.test(rawLimit) || Number(rawLimit) < 1 || Number(rawLimit) > MAX_PAGE_SIZE) {
      throw new ClientError(400, `limit must be a whole number from 1 to ${MAX_PAGE_SIZE}`);
    }
    limit = Number(rawLimit);
  }
  const rawToken = query?.nextToken;
  return rawToken === undefined ? { limit } : { limit, startKey: decodePageToken(rawToken) };
}

export function encodePageToken(key: PageKey): string {
  return Buffer.from(JSON.stringify({ userId: key.userId }), 'utf-8').toString('base64url');
}

export function decodePageToken(token: string): PageKey {
  const invalid = new ClientError(400, 'nextToken is not valid: pass the nextToken of the previous page unchanged');
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(token)) throw invalid;
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(token, 'base64url').toString('utf-8'));
  } catch {
    throw invalid;
  }
  const result = pageKeySchema.safeParse(json);
  if (!result.success) throw invalid;
  return result.data;
}

function describeIssues(issues: z.core.$ZodIssue[], input: Record<string, unknown>): string {
  return issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return `Unknown field(s): ${issue.keys.join(', ')}; allowed: userId, name, email`;
    }
    const field = String(issue.path[0]);
    if (issue.code === 'invalid_type' && !Object.prototype.hasOwnProperty.call(input, field)) {
      return `${field} is required`;
    }
    return issue.message;
  }).join('; ');
}
