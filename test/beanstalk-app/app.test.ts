import { AddressInfo } from 'net';
import { createServer, HEALTH_PATH } from '../../labs/beanstalk-app/app/app';

// The Beanstalk lab's web app over real HTTP on 127.0.0.1, as nginx on the instance would call it.
async function serve(appColor?: string) {
  const warnings: string[] = [];
  const server = createServer({ appColor, log: { warn: (message) => warnings.push(message) } });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    warnings,
    get: async (urlPath: string, userAgent = 'curl/8.5.0', method = 'GET') => {
      const response = await fetch(`${origin}${urlPath}`, { method, headers: { 'User-Agent': userAgent } });
      return { status: response.status, type: response.headers.get('content-type'), text: await response.text() };
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

test('shows the chapter\'s heading, the request\'s User-Agent, '
  + 'and the heading in the default colour blue', async () => {
  const app = await serve();
  try {
    const page = await app.get('/', 'Mozilla/5.0 (X11; Linux x86_64)');
    expect(page.status).toBe(200);
    expect(page.type).toBe('text/html; charset=utf-8');
    expect(page.text).toContain('<h1 style="color: blue;">Hello, Elastic Beanstalk!</h1>');
    expect(page.text).toContain('<p>Your user agent is: Mozilla/5.0 (X11; Linux x86_64)</p>');
    expect(page.text).toContain('<p>App color: blue</p>');
  } finally {
    await app.close();
  }
});

test('colours the heading with APP_COLOR when it is a CSS colour name or hex value', async () => {
  for (const color of ['red', 'RebeccaPurple', '#0a0', '#00aa00']) {
    const app = await serve(color);
    try {
      expect((await app.get('/')).text).toContain(`<h1 style="color: ${color};">`);
      expect(app.warnings).toEqual([]);
    } finally {
      await app.close();
    }
  }
});

test.each([
  ['red;background:url(https://evil.example/x)'],
  ['"><script>alert(1)</script>'],
  ['expression(alert(1))'],
  ['#12345'],
  ['notacolor'],
])('falls back to blue, and logs why, for APP_COLOR %p', async (color) => {
  const app = await serve(color);
  try {
    const page = (await app.get('/')).text;
    expect(page).toContain('<h1 style="color: blue;">');
    expect(page).not.toContain(color);
    expect(app.warnings).toEqual([
      expect.stringContaining('is not a CSS colour name or #rgb/#rrggbb value; using blue'),
    ]);
  } finally {
    await app.close();
  }
});

test('escapes a hostile User-Agent instead of running it (the chapter\'s version is a script injection)', async () => {
  const app = await serve();
  try {
    const page = (await app.get(
      '/',
      '<script>alert(document.cookie)</script><img src=x onerror=alert(1)> & "quotes" \'too\'',
    )).text;
    expect(page).not.toMatch(/<script>|<img/);
    expect(page).toContain('&lt;script&gt;alert(document.cookie)&lt;/script&gt;'
      + '&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quotes&quot; &#39;too&#39;');
  } finally {
    await app.close();
  }
});

test('answers the health check path that Beanstalk uses', async () => {
  const app = await serve();
  try {
    expect(HEALTH_PATH).toBe('/health');
    expect(await app.get('/health')).toEqual({ status: 200, type: 'application/json', text: '{"status":"ok"}\n' });
    expect((await app.get('/missing')).status).toBe(404);
    expect((await app.get('/', 'curl', 'POST')).status).toBe(405);
  } finally {
    await app.close();
  }
});
