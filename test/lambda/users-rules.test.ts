import {
  ClientError, decodePageToken, DEFAULT_PAGE_SIZE, encodePageToken, MAX_BODY_BYTES, MAX_PAGE_SIZE, parseListQuery,
  parseNewUser, parseUserId, userExists, userNotFound,
} from '../../lambda/users/users';

// The users API's rules (users.ts) at each documented edge, on both sides. No engine: these are pure functions.
const NOW = new Date('2026-11-27T12:00:00.000Z');
const body = (value: unknown) => JSON.stringify(value);

/** Calls `fn` and returns the ClientError it throws as [status, message]. */
function clientError(fn: () => unknown): [number, string] {
  try {
    fn();
  } catch (error) {
    if (error instanceof ClientError) return [error.statusCode, error.message];
    throw error;
  }
  throw new Error('expected a ClientError, but nothing was thrown');
}

const USER_ID_RULE = 'userId must be 1-64 characters of letters, digits, "_", "." or "-"';
const LIMIT_RULE = 'limit must be a whole number from 1 to 100';
const TOKEN_RULE = 'nextToken is not valid: pass the nextToken of the previous page unchanged';

/** A JSON body padded with spaces (valid JSON white space) to exactly `bytes` UTF-8 bytes. */
function bodyOfBytes(user: object, bytes: number): string {
  const text = JSON.stringify(user);
  return `${text.slice(0, -1)}${' '.repeat(bytes - Buffer.byteLength(text))}}`;
}

describe('the body limit, counted in UTF-8 bytes', () => {
  const euros = { userId: 'mb', name: '€'.repeat(200) }; // 200 characters, 600 bytes

  test('is 16 KiB', () => {
    expect(MAX_BODY_BYTES).toBe(16_384);
  });

  test('accepts a body of exactly 16384 bytes of multibyte characters, fewer characters than bytes', () => {
    const text = bodyOfBytes(euros, 16_384);
    expect(Buffer.byteLength(text)).toBe(16_384);
    expect(text.length).toBeLessThan(16_384);
    expect(parseNewUser(text, NOW)).toEqual({ ...euros, createdAt: NOW.toISOString() });
  });

  test('fails a body of 16385 bytes with 413 although it has fewer than 16384 characters', () => {
    const text = bodyOfBytes(euros, 16_385);
    expect(Buffer.byteLength(text)).toBe(16_385);
    expect(text.length).toBeLessThan(16_384);
    expect(clientError(() => parseNewUser(text, NOW))).toEqual([413, 'Request body must be at most 16384 bytes']);
  });

  test('checks the size before the JSON: 16385 bytes of anything is 413', () => {
    expect(clientError(() => parseNewUser('x'.repeat(16_385), NOW)))
      .toEqual([413, 'Request body must be at most 16384 bytes']);
    expect(clientError(() => parseNewUser('x'.repeat(16_384), NOW))).toEqual([400, 'Request body must be valid JSON']);
  });
});

describe('the body', () => {
  test.each([[null], [undefined], [''], [' '], ['\n\t ']])('fails %p as missing', (text) => {
    expect(clientError(() => parseNewUser(text, NOW)))
      .toEqual([400, 'Request body is required: a JSON object with userId, name and optionally email']);
  });

  test.each([['[]'], ['"u1"'], ['1'], ['null'], ['false']])('fails the JSON %p, which is not an object', (text) => {
    expect(clientError(() => parseNewUser(text, NOW)))
      .toEqual([400, 'Request body must be a JSON object with userId, name and optionally email']);
  });

  test('stamps a new user with the time it is given', () => {
    expect(parseNewUser(body({ userId: 'u1', name: 'Ada' }), NOW))
      .toEqual({ userId: 'u1', name: 'Ada', createdAt: '2026-11-27T12:00:00.000Z' });
  });

  test('lists every problem, joined by "; "', () => {
    expect(clientError(() => parseNewUser(body({ name: '', extra: 1 }), NOW)))
      .toEqual([
        400,
        'userId is required; name must not be blank; Unknown field(s): extra; allowed: userId, name, email',
      ]);
  });

  test('says a field is required when it is missing, and what is wrong when it is present with the wrong type', () => {
    expect(clientError(() => parseNewUser(body({ userId: 'u1' }), NOW))).toEqual([400, 'name is required']);
    expect(clientError(() => parseNewUser(body({ userId: 'u1', name: null }), NOW)))
      .toEqual([400, 'name must be a string of 1-200 characters']);
  });
});

describe('email', () => {
  const withEmail = (email: string) => body({ userId: 'u1', name: 'Ada', email });

  test('accepts 254 characters', () => {
    const email = `${'a'.repeat(242)}@example.com`;
    expect(email).toHaveLength(254);
    expect(parseNewUser(withEmail(email), NOW).email).toBe(email);
  });

  test('fails 255 characters', () => {
    expect(clientError(() => parseNewUser(withEmail(`${'a'.repeat(243)}@example.com`), NOW)))
      .toEqual([400, 'email must be at most 254 characters']);
  });

  test('is optional', () => {
    expect(parseNewUser(body({ userId: 'u1', name: 'Ada' }), NOW)).not.toHaveProperty('email');
  });
});

describe('name', () => {
  test('accepts 1 and 200 characters', () => {
    expect(parseNewUser(body({ userId: 'u1', name: 'A' }), NOW).name).toBe('A');
    expect(parseNewUser(body({ userId: 'u1', name: 'n'.repeat(200) }), NOW).name).toHaveLength(200);
  });

  test('fails 201 characters', () => {
    expect(clientError(() => parseNewUser(body({ userId: 'u1', name: 'n'.repeat(201) }), NOW)))
      .toEqual([400, 'name must be at most 200 characters']);
  });

  test('accepts a name with spaces around text, and fails one of spaces only', () => {
    expect(parseNewUser(body({ userId: 'u1', name: ' Ada ' }), NOW).name).toBe(' Ada ');
    expect(clientError(() => parseNewUser(body({ userId: 'u1', name: '  ' }), NOW)))
      .toEqual([400, 'name must not be blank']);
  });
});

describe('userId', () => {
  test('accepts 1 and 64 characters', () => {
    expect(parseUserId('u')).toBe('u');
    expect(parseUserId('u'.repeat(64))).toBe('u'.repeat(64));
  });

  test('fails 0 and 65 characters', () => {
    expect(clientError(() => parseUserId(''))).toEqual([400, USER_ID_RULE]);
    expect(clientError(() => parseUserId('u'.repeat(65)))).toEqual([400, USER_ID_RULE]);
  });

  test.each([
    ['A'], ['Z'], ['a'], ['z'], ['0'], ['9'], ['_'], ['.'], ['-'], ['Ada_Lovelace-1815.12'],
  ])('accepts %p: letters, digits, "_", "." and "-"', (userId) => {
    expect(parseUserId(userId)).toBe(userId);
    expect(parseNewUser(body({ userId, name: 'n' }), NOW).userId).toBe(userId);
  });

  test.each([
    ['/'], [':'], ['@'], ['['], ['`'], ['{'], [' '], ['+'], ['é'], ['*'], ['\\'],
    ['a line break inside', 'a\nb'], ['a line break after', 'u1\n'], ['a line break before', '\nu1'],
  ])('fails %p', (label, userId = label) => {
    expect(clientError(() => parseUserId(userId))).toEqual([400, USER_ID_RULE]);
    expect(clientError(() => parseNewUser(body({ userId, name: 'n' }), NOW))).toEqual([400, USER_ID_RULE]);
  });

  test('fails a missing userId in the path', () => {
    expect(clientError(() => parseUserId(undefined))).toEqual([400, USER_ID_RULE]);
  });
});

describe('limit', () => {
  test('is 25 when not given, with or without a query', () => {
    expect(DEFAULT_PAGE_SIZE).toBe(25);
    expect(parseListQuery(null)).toEqual({ limit: 25 });
    expect(parseListQuery(undefined)).toEqual({ limit: 25 });
    expect(parseListQuery({})).toEqual({ limit: 25 });
  });

  test.each([
    ['1', 1], ['100', 100], ['2', 2], ['99', 99], ['007', 7], ['050', 50],
  ])('accepts %p as %p', (raw, limit) => {
    expect(parseListQuery({ limit: raw })).toEqual({ limit });
  });

  test.each([
    ['0'], ['000'], ['101'], ['0100'], ['1000'], ['-1'], ['+1'], [' 5'], ['5 '], ['1.0'], [''], ['0x10'], ['ten'],
  ])('fails %p', (raw) => {
    expect(clientError(() => parseListQuery({ limit: raw }))).toEqual([400, LIMIT_RULE]);
  });

  test('has a maximum of 100', () => {
    expect(MAX_PAGE_SIZE).toBe(100);
  });
});

describe('nextToken', () => {
  const tokenOf = (json: string) => Buffer.from(json, 'utf-8').toString('base64url');

  test('round-trips a page key through a URL-safe token', () => {
    for (const userId of ['u', 'a'.repeat(64), '.-_', 'Ada.Lovelace']) {
      const token = encodePageToken({ userId });
      expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(decodePageToken(token)).toEqual({ userId });
      expect(parseListQuery({ nextToken: token })).toEqual({ limit: 25, startKey: { userId } });
    }
  });

  test('encodes only the userId of the key', () => {
    expect(decodePageToken(encodePageToken({ userId: 'u1', extra: 'x' } as never))).toEqual({ userId: 'u1' });
  });

  test('reads the limit and the token together', () => {
    expect(parseListQuery({ limit: '3', nextToken: encodePageToken({ userId: 'u9' }) }))
      .toEqual({ limit: 3, startKey: { userId: 'u9' } });
  });

  test('accepts a token of exactly 200 characters, and fails the same token with one more character', () => {
    const json = `{"userId":"u1"${' '.repeat(150 - 15)}}`;
    const token = tokenOf(json);
    expect(token).toHaveLength(200);
    expect(decodePageToken(token)).toEqual({ userId: 'u1' });
    expect(clientError(() => decodePageToken(`${token}A`))).toEqual([400, TOKEN_RULE]);
  });

  test.each([
    ['an empty token', ''],
    ['base64 padding', `${tokenOf('{"userId":"u1"}')}=`],
    ['a "+" (base64, not base64url)', `+${tokenOf('{"userId":"u1"}')}`],
    ['a "/" (base64, not base64url)', `${tokenOf('{"userId":"u1"}')}/`],
    ['a space before', ` ${tokenOf('{"userId":"u1"}')}`],
    ['a key without userId', tokenOf('{}')],
    ['a null key', tokenOf('null')],
    ['a userId that is a number', tokenOf('{"userId":1}')],
    ['text that is not JSON', tokenOf('u1')],
  ])('fails %s', (_what, token) => {
    expect(clientError(() => decodePageToken(token))).toEqual([400, TOKEN_RULE]);
    expect(clientError(() => parseListQuery({ nextToken: token }))).toEqual([400, TOKEN_RULE]);
  });
});

describe('client errors', () => {
  test('carry their status and message, named ClientError', () => {
    expect(userNotFound())
      .toEqual(expect.objectContaining({ name: 'ClientError', statusCode: 404, message: 'User not found' }));
    expect(userExists())
      .toEqual(expect.objectContaining({ name: 'ClientError', statusCode: 409, message: 'User already exists' }));
    expect(userExists()).toBeInstanceOf(Error);
  });
});
