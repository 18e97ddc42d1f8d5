import { AddressInfo } from 'net';
import { createServer, DEFAULT_COLOR, escapeHtml, renderPage, resolveAppColor } from '../../labs/beanstalk-app/app/app';
import { isCssColor, NAMED_COLORS } from '../../labs/beanstalk-app/app/colors';

// The edges of the Beanstalk app's rules: which APP_COLOR values reach the page, what is escaped,
// what each path answers.
const quiet = () => {
  const warnings: string[] = [];
  return { warnings, log: { warn: (message: string) => warnings.push(message) } };
};

describe('APP_COLOR', () => {
  test.each([
    '#abc', '#ABC', '#a0F', '#aabbcc', '#AABBCC', '#00aa00',
  ])('accepts the hex colour %p (#rgb and #rrggbb, any case)', (color) => {
    expect(isCssColor(color)).toBe(true);
  });

  test.each([
    ['#ab', 'two digits'],
    ['#abcd', '#rgba'],
    ['#12345', 'five digits'],
    ['#1234567', 'seven digits'],
    ['#aabbccdd', '#rrggbbaa'],
    ['#ggg', 'a digit that is not hex'],
    ['abc', 'hex digits without #'],
    ['red#abc', 'a hex colour after other text'],
    ['#abcred', 'a hex colour before other text'],
    ['#abc\n', 'a hex colour and a newline'],
    ['#', 'a bare #'],
  ])('rejects %p (%s)', (color) => {
    expect(isCssColor(color)).toBe(false);
  });

  test.each([
    'red', 'RED', 'RebeccaPurple', 'aliceblue', 'yellowgreen', 'grey', 'gray',
  ])('accepts the CSS colour name %p, in any case', (color) => {
    expect(isCssColor(color)).toBe(true);
  });

  test.each([
    ['transparent', 'a CSS keyword that is not a named colour'],
    ['currentcolor', 'a CSS keyword that is not a named colour'],
    [' red', 'a name with a space before it'],
    ['red ', 'a name with a space after it'],
    ['', 'the empty string'],
    ['rgb(0,0,0)', 'a colour function'],
  ])('rejects %p (%s)', (color) => {
    expect(isCssColor(color)).toBe(false);
  });

  test.each([
    [42], [null], [undefined], [{ toLowerCase: () => 'red' }], [['red']],
  ])('rejects %p, which is not a string, without throwing', (value) => {
    expect(isCssColor(value)).toBe(false);
  });

  test('knows the 148 named colours of CSS Color Module Level 4, each one word in lower case', () => {
    expect(NAMED_COLORS.size).toBe(148);
    for (const name of NAMED_COLORS) expect(name).toMatch(/^[a-z]+$/);
  });

  test('uses blue without a warning when APP_COLOR is not set or empty', () => {
    for (const value of [undefined, '']) {
      const { warnings, log } = quiet();
      expect(resolveAppColor(value, log)).toBe('blue');
      expect(warnings).toEqual([]);
    }
    expect(DEFAULT_COLOR).toBe('blue');
  });

  test('uses a valid APP_COLOR as given, without a warning', () => {
    const { warnings, log } = quiet();
    expect(resolveAppColor('#AbC', log)).toBe('#AbC');
    expect(warnings).toEqual([]);
  });

  test('falls back to blue for an invalid APP_COLOR, with a warning that quotes it', () => {
    const { warnings, log } = quiet();
    expect(resolveAppColor(' ', log)).toBe('blue');
    expect(warnings).toEqual(['APP_COLOR " " is not a CSS colour name or #rgb/#rrggbb value; using blue']);
  });
});

describe('escaping', () => {
  test.each([
    ['&', '&amp;'],
    ['<', '&lt;'],
    ['>', '&gt;'],
    ['"', '&quot;'],
    ["'", '&#39;'],
  ])('escapes %p as %p, every time it occurs', (char, entity) => {
    expect(escapeHtml(`a${char}b${char}`)).toBe(`a${entity}b${entity}`);
  });

  test('leaves other text, including non-ASCII and already escaped-looking text, as it is apart from the &', () => {
    expect(escapeHtml('Ünïcode / = ` ; %')).toBe('Ünïcode / = ` ; %');
    expect(escapeHtml('&amp;')).toBe('&amp;amp;');
  });

  test('escapes a value that is not a string by its text', () => {
    expect(escapeHtml(42)).toBe('42');
  });
});

describe('the page', () => {
  test('is exactly the chapter\'s page, with the colour and the User-Agent', () => {
    expect(renderPage({ userAgent: 'curl/8.5.0', appColor: 'red' })).toBe([
      '<!DOCTYPE html>',
      '<html><head><meta charset="utf-8"><title>Hello, Elastic Beanstalk!</title></head><body>',
      '<h1 style="color: red;">Hello, Elastic Beanstalk!</h1>',
      '<p>Your user agent is: curl/8.5.0</p>',
      '<p>App color: red</p>',
      '</body></html>',
    ].join('\n'));
  });

  test('says "(none)" when the request has no User-Agent', () => {
    expect(renderPage({ appColor: 'blue' })).toContain('<p>Your user agent is: (none)</p>');
  });
});

describe('over HTTP', () => {
  async function serve() {
    const server = createServer({ appColor: 'red', log: quiet().log });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return {
      server,
      call: async (urlPath: string, method = 'GET') => {
        const response = await fetch(`${origin}${urlPath}`, { method });
        return { status: response.status, headers: Object.fromEntries(response.headers), text: await response.text() };
      },
      close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    };
  }

  test('serves the page with headers that forbid scripts and sniffing', async () => {
    const app = await serve();
    try {
      const page = await app.call('/?q=1');
      expect(page.status).toBe(200);
      expect(page.headers).toEqual(expect.objectContaining({
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
        'x-content-type-options': 'nosniff',
      }));
      expect(page.text).toContain('<h1 style="color: red;">');
    } finally {
      await app.close();
    }
  });

  test('answers HEAD like GET, without a body', async () => {
    const app = await serve();
    try {
      const page = await app.call('/', 'HEAD');
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(page.text).toBe('');
    } finally {
      await app.close();
    }
  });

  test.each(['POST', 'PUT', 'DELETE'])('fails %s with 405 and says which methods are allowed', async (method) => {
    const app = await serve();
    try {
      const answer = await app.call('/', method);
      expect(answer).toEqual({
        status: 405,
        headers: expect.objectContaining({ allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' }),
        text: 'Method not allowed\n',
      });
    } finally {
      await app.close();
    }
  });

  test('fails an unknown path with a plain-text 404, and /health/ is not the health check', async () => {
    const app = await serve();
    try {
      for (const urlPath of ['/missing', '/health/', '/index.html']) {
        expect(await app.call(urlPath)).toEqual({
          status: 404,
          headers: expect.objectContaining({ 'content-type': 'text/plain; charset=utf-8' }),
          text: 'Not found\n',
        });
      }
      expect((await app.call('/health?probe=1')).status).toBe(200);
    } finally {
      await app.close();
    }
  });

  test('serves the page for a request without a URL, as for /', async () => {
    const server = createServer({ appColor: 'red', log: quiet().log });
    const [listener] = server.listeners('request') as Array<(request: unknown, response: unknown) => void>;
    let answered: { status?: number; body?: string } = {};
    const response = {
      writeHead: (status: number) => ({ end: (body: string) => { answered = { status, body }; } }),
    };
    listener({ method: 'GET', url: undefined, headers: {} }, response);
    expect(answered.status).toBe(200);
    expect(answered.body).toContain('<h1 style="color: red;">');
  });
});
