import * as fs from 'fs';
import * as path from 'path';

// The house style's one mechanical rule: no line of code over 120 characters, unless it holds a URL (a link is
// better whole than wrapped).

const ROOT = path.join(__dirname, '..');
const MAX_LENGTH = 120;
const CODE_FILE = /\.(ts|js|mjs|cjs|py|sh)$/;
const NOT_OURS = new Set(['node_modules', 'cdk.out', '__snapshots__', 'reports', '.stryker-tmp', '.git']);

/** `line N: M characters` for each line of `text` over the limit that holds no URL. */
export function longLines(text: string): string[] {
  return text.split('\n').flatMap((line, index) => (line.length > MAX_LENGTH && !/https?:\/\//.test(line)
    ? [`line ${index + 1}: ${line.length} characters`]
    : []));
}

function codeFiles(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const file = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) return NOT_OURS.has(entry.name) ? [] : codeFiles(file);
    return CODE_FILE.test(entry.name) ? [file] : [];
  });
}

describe('longLines', () => {
  const line = (length: number, text = '') => text + 'x'.repeat(length - text.length);

  test('passes a line of exactly 120 characters and flags one of 121, with its number and length', () => {
    expect(longLines(`${line(120)}\n${line(121)}`)).toEqual(['line 2: 121 characters']);
  });

  test('passes a long line that holds an http or https URL, not one that merely mentions a host', () => {
    expect(longLines([line(200, '// see https://docs.aws.amazon.com/'), line(200, '// see http://localhost:3000/'),
      line(200, '// see docs.aws.amazon.com/')].join('\n'))).toEqual(['line 3: 200 characters']);
  });

  test('counts characters, not bytes: 120 multibyte characters pass', () => {
    expect(longLines('é'.repeat(120))).toEqual([]);
  });
});

test('no code file of the project has a line over 120 characters without a URL', () => {
  const files = ['bin', 'lib', 'lambda', 'labs', 'scripts', 'test', '.ci'].flatMap(codeFiles)
    .concat(fs.readdirSync(ROOT).filter((name) => CODE_FILE.test(name)), ['.ci/run']);
  expect(files).toEqual(expect.arrayContaining([
    'lib/constructs/node-bundling.ts', 'test/house-style.test.ts', 'jest.config.js', '.ci/run',
  ]));
  const offenders = files.flatMap((file) => longLines(fs.readFileSync(path.join(ROOT, file), 'utf-8'))
    .map((where) => `${file} ${where}`));
  expect(offenders).toEqual([]);
});
