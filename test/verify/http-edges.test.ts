import { excerpt, expectPage, request } from '../../lib/verify/http';
import { serveStandIn, StandIn } from '../helpers/http-stand-in';

// verify's HTTP helpers against a local HTTP server.
let server: StandIn;
const seen: Array<{ method?: string; url?: string; body: string }> = [];

beforeAll(async () => {
  server = await serveStandIn((req, res) => {
    let body = '';
    req.on('data', (chunk) => { body += chunk; });
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, body });
      if (req.url === '/ok') res.writeHead(200).end('<h1>Hello   from\n the lab</h1>');
      else if (req.url === '/moved') res.writeHead(302, { Location: '/ok' }).end('moved');
      else if (req.url === '/empty') res.writeHead(200).end('');
      else if (req.url === '/blank-error') res.writeHead(503).end('  \n ');
      else res.writeHead(500).end('Internal Server Error');
    });
  });
});
afterAll(() => server.close());
beforeEach(() => { seen.length = 0; });

describe('request', () => {
  test('answers status and text', async () => {
    expect(await request(`${server.origin}/ok`)).toEqual({ status: 200, body: '<h1>Hello   from\n the lab</h1>' });
  });

  test('answers a redirect as it is instead of following it', async () => {
    expect(await request(`${server.origin}/moved`)).toEqual({ status: 302, body: 'moved' });
    expect(seen.map((request) => request.url)).toEqual(['/moved']);
  });

  test('sends the method and body it is given', async () => {
    await request(`${server.origin}/ok`, { method: 'POST', body: '{"userId":"1"}' });
    expect(seen).toEqual([{ method: 'POST', url: '/ok', body: '{"userId":"1"}' }]);
  });

  test('fails with GET, the URL and "no answer" when nothing listens', async () => {
    const closed = await serveStandIn(() => undefined);
    await closed.close();
    await expect(request(`${closed.origin}/`))
      .rejects.toThrow(new Error(`GET ${closed.origin}/: no answer (ECONNREFUSED)`));
  });

  test('fails with the method it was given', async () => {
    const closed = await serveStandIn(() => undefined);
    await closed.close();
    await expect(request(`${closed.origin}/users`, { method: 'DELETE' }))
      .rejects.toThrow(new Error(`DELETE ${closed.origin}/users: no answer (ECONNREFUSED)`));
  });
});

describe('expectPage', () => {
  test('returns a 200 page whose body matches', async () => {
    expect(await expectPage(`${server.origin}/ok`, /Hello\s+from/))
      .toEqual({ status: 200, body: '<h1>Hello   from\n the lab</h1>' });
  });

  test('fails a page that is not 200, with the status and the start of the body', async () => {
    await expect(expectPage(`${server.origin}/fail`, /Hello/))
      .rejects.toThrow(new Error(`GET ${server.origin}/fail answered 500: Internal Server Error`));
  });

  test('fails a redirect, which is not 200, even when its body would match', async () => {
    await expect(expectPage(`${server.origin}/moved`, /moved/))
      .rejects.toThrow(new Error(`GET ${server.origin}/moved answered 302: moved`));
  });

  test('fails a blank error page, saying its body is empty', async () => {
    await expect(expectPage(`${server.origin}/blank-error`, /x/))
      .rejects.toThrow(new Error(`GET ${server.origin}/blank-error answered 503: (empty body)`));
  });

  test('fails a 200 whose body does not match, naming the pattern and the body on one line', async () => {
    await expect(expectPage(`${server.origin}/ok`, /Goodbye/)).rejects.toThrow(
      new Error(`GET ${server.origin}/ok answered 200 without /Goodbye/: <h1>Hello from the lab</h1>`),
    );
  });

  test('fails an empty 200 page', async () => {
    await expect(expectPage(`${server.origin}/empty`, /Hello/))
      .rejects.toThrow(new Error(`GET ${server.origin}/empty answered 200 without /Hello/: (empty body)`));
  });
});

describe('excerpt', () => {
  test('keeps a body of exactly 120 characters whole', () => {
    const body = 'x'.repeat(120);
    expect(excerpt(body)).toBe(body);
  });

  test('cuts a body of 121 characters to 120 and marks the cut', () => {
    expect(excerpt(`${'x'.repeat(120)}y`)).toBe(`${'x'.repeat(120)}...`);
  });

  test('cuts at the length it is given, on each side of it', () => {
    expect(excerpt('abcde', 5)).toBe('abcde');
    expect(excerpt('abcdef', 5)).toBe('abcde...');
  });

  test('puts the body on one line: runs of white space become one space, none at the ends', () => {
    expect(excerpt('\n  <p>\tone\r\n\n two </p>  \n')).toBe('<p> one two </p>');
  });

  test('counts the length after joining the lines', () => {
    expect(excerpt(`${'x'.repeat(60)}\n\n\n${'y'.repeat(59)}`)).toBe(`${'x'.repeat(60)} ${'y'.repeat(59)}`);
  });

  test('says "(empty body)" for an empty or blank body', () => {
    expect(excerpt('')).toBe('(empty body)');
    expect(excerpt(' \n\t ')).toBe('(empty body)');
  });
});
