import { AddressInfo, createServer } from 'net';
import { runChecklist } from '../../lib/verify/checklist';

const options = (lines: string[], timeLimitMs = 1_000) => ({
  timeLimitMs, retryDelayMs: 5, print: (line: string) => lines.push(line),
});

test('retries a failing check until it passes, and says on which try', async () => {
  const lines: string[] = [];
  let tries = 0;
  const results = await runChecklist([{
    name: 'warms up',
    run: async () => {
      if (++tries < 3) throw new Error(`not yet (${tries})`);
      return 'ready';
    },
  }], options(lines));
  expect(results).toEqual([{ name: 'warms up', passed: true, seen: 'ready', tries: 3 }]);
  expect(lines).toEqual(['PASS  warms up: ready (try 3)']);
});

test('fails a check that still fails at the time limit, with the last thing it saw', async () => {
  const lines: string[] = [];
  let tries = 0;
  const results = await runChecklist(
    [{ name: 'never ready', run: async () => { throw new Error(`status ${++tries}`); } }],
    options(lines, 50),
  );
  expect(results[0].passed).toBe(false);
  expect(results[0].tries).toBeGreaterThan(1);
  expect(lines).toEqual([`FAIL  never ready: status ${tries} (try ${tries})`]);
});

test('tries every check at least once after the time limit, in order', async () => {
  const lines: string[] = [];
  const results = await runChecklist([
    { name: 'first', run: async () => { throw new Error('down'); } },
    { name: 'second', run: async () => 'up' },
  ], options(lines, 0));
  expect(results.map((result) => [result.name, result.passed, result.tries]))
    .toEqual([['first', false, 1], ['second', true, 1]]);
  expect(lines).toEqual(['FAIL  first: down', 'PASS  second: up']);
});

test('says "no answer" with the network error when nothing listens, not "fetch failed"', async () => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  const lines: string[] = [];
  await runChecklist([{ name: 'closed port', run: async () => (await fetch(`http://127.0.0.1:${port}/`)).statusText }], options(lines, 0));
  expect(lines).toEqual(['FAIL  closed port: no answer (ECONNREFUSED)']);
});
