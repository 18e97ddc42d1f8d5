import { describeError } from './checklist';

/** How long one HTTP request of a check may take. */
const REQUEST_TIMEOUT_MS = 10_000;

export interface Page {
  readonly status: number;
  readonly body: string;
}

/** One HTTP request, with a timeout, answered as status and text; throws when nothing answers. */
export async function request(url: string, init: RequestInit = {}): Promise<Page> {
  try {
    const response = await fetch(url, { ...init, redirect: 'manual', signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    return { status: response.status, body: await response.text() };
  } catch (error) {
    throw new Error(`${init.method ?? 'GET'} ${url}: ${describeError(error)}`);
  }
}

/** GETs a page and requires a 200 whose body matches `expected`; says what it got otherwise. */
export async function expectPage(url: string, expected: RegExp): Promise<Page> {
  const page = await request(url);
  if (page.status !== 200) throw new Error(`GET ${url} answered ${page.status}: ${excerpt(page.body)}`);
  if (!expected.test(page.body)) throw new Error(`GET ${url} answered 200 without ${expected}: ${excerpt(page.body)}`);
  return page;
}

/** The start of a response body, on one line, for a checklist. */
export function excerpt(body: string, length = 120): string {
  const line = body.replace(/\s+/g, ' ').trim();
  return line.length > length ? `${line.slice(0, length)}...` : line || '(empty body)';
}
