#!/usr/bin/env node
'use strict';
/**
 * npm run mutate                      mutation testing of the whole scope below (StrykerJS, stryker.config.mjs)
 * npm run mutate -- lambda/users      only these files or folders of the scope
 * npm run mutate -- lib/cost --force  options starting with "-" go to Stryker (--force: no incremental reuse)
 * MUTATION_REPORT_DIR=reports/other npm run mutate -- lib/cost   reports elsewhere (default reports/mutation)
 * MUTATION_TESTS=test/guardrails npm run mutate -- lib/guardrails   only the tests under that folder (or these test
 *   files, comma-separated): minutes instead of hours for code that every lab's synth runs, and a lower bound of the
 *   score (use its own --incrementalFile)
 *
 * After Stryker, prints the score per folder from its JSON report (reports/mutation/mutation.json), without the
 * mutants listed in test/mutation/equivalent-mutants.json, lists every survivor, and exits non-zero when a
 * folder misses its target. An entry there names the file, the mutator, the original and the replacement code
 * (no line number, so it survives edits around it) and, where the same change could happen twice in the file,
 * a `context`: text of the mutated line(s) that tells them apart. It excuses only a mutant that survived.
 * Incremental: each selection keeps its own file under reports/mutation/incremental/,
 * so a rerun after a small change only runs the mutants whose code or tests changed.
 */
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

const ROOT = path.join(__dirname, '..');
const REPORT = path.join(ROOT, process.env.MUTATION_REPORT_DIR ?? 'reports/mutation', 'mutation.json');
const EQUIVALENTS = path.join(ROOT, 'test', 'mutation', 'equivalent-mutants.json');

/** What is mutated, by folder, with the mutation score each folder must reach. */
const SCOPE = [
  { folder: 'lambda/users', target: 90, files: () => sourceFiles('lambda/users', '.ts') },
  { folder: 'lambda/uploads', target: 90, files: () => sourceFiles('lambda/uploads', '.ts') },
  { folder: 'lib/guardrails', target: 90, files: () => sourceFiles('lib/guardrails', '.ts') },
  { folder: 'lib/cost', target: 80, files: () => sourceFiles('lib/cost', '.ts') },
  // The review's marks; the rest of lib/review runs git and cdk synth.
  { folder: 'lib/review', target: 80, files: () => ['lib/review/stack-review.ts', 'lib/review/format-review.ts'] },
  { folder: 'lib/leftovers', target: 80, files: () => sourceFiles('lib/leftovers', '.ts') },
  { folder: 'lib/verify', target: 80, files: () => sourceFiles('lib/verify', '.ts') },
  // Classroom mode's rules and the class status; not the stack and the network wiring, which the templates pin.
  {
    folder: 'lib/classroom',
    target: 80,
    files: () => sourceFiles('lib/classroom', '.ts')
      .filter((file) => !/\/(classroom-setup-stack|shared-network)\.ts$/.test(file)),
  },
  // Only the props validation of the constructs: the functions and `if` statements that throw.
  { folder: 'lib/constructs', target: 80, files: () => sourceFiles('lib/constructs', '.ts').flatMap(validationRanges) },
  // server.js only starts listening.
  {
    folder: 'labs/beanstalk-app/app',
    target: 80,
    files: () => ['labs/beanstalk-app/app/app.js', 'labs/beanstalk-app/app/colors.js'],
  },
];

function sourceFiles(folder, extension) {
  const walk = (dir) => fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return walk(rel);
    return entry.name.endsWith(extension) && !entry.name.endsWith('.d.ts') ? [rel] : [];
  });
  return walk(folder).sort();
}

/**
 * `file:start-end` line ranges of a file's validation: top-level functions that throw, and `if` statements that
 * throw.
 */
function validationRanges(file) {
  const ts = require('typescript');
  const source = ts.createSourceFile(
    file, fs.readFileSync(path.join(ROOT, file), 'utf-8'), ts.ScriptTarget.Latest, true,
  );
  const line = (pos) => source.getLineAndCharacterOfPosition(pos).line + 1;
  const throws = (node) => ts.isThrowStatement(node)
    || ts.forEachChild(node, (child) => (ts.isFunctionLike(child) ? undefined : throws(child) || undefined)) === true;
  const ranges = [];
  const visit = (node) => {
    const validating = (ts.isFunctionDeclaration(node) && node.parent === source && node.body && throws(node.body))
      || (ts.isIfStatement(node) && throws(node.thenStatement));
    if (validating) {
      ranges.push(`${file}:${line(node.getStart(source))}-${line(node.getEnd())}`);
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return ranges;
}

function parseArgs(argv) {
  const paths = [];
  const strykerArgs = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i].startsWith('-')) {
      strykerArgs.push(argv[i]);
      if (argv[i + 1] !== undefined && !argv[i + 1].startsWith('-') && !/^--(force|dryRunOnly)$/.test(argv[i])
        && !argv[i].includes('=')) strykerArgs.push(argv[++i]);
    } else {
      paths.push(argv[i].replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/+$/, ''));
    }
  }
  return { paths, strykerArgs };
}

/** The scope entries (files or ranges) under the given paths; all of them when no path is given. */
function selectMutate(paths) {
  const all = SCOPE.flatMap((scope) => scope.files());
  if (paths.length === 0) return all;
  const fileOf = (entry) => entry.replace(/:\d+(:\d+)?-\d+(:\d+)?$/, '');
  const selected = all.filter((entry) => paths.some((p) => fileOf(entry) === p || fileOf(entry).startsWith(`${p}/`)));
  const unmatched = paths.filter((p) => !all.some((entry) => fileOf(entry) === p || fileOf(entry).startsWith(`${p}/`)));
  if (unmatched.length > 0) {
    console.error(`Not in the mutation scope: ${unmatched.join(', ')}. `
      + `The scope is: ${SCOPE.map((scope) => scope.folder).join(', ')}.`);
    process.exit(2);
  }
  return selected;
}

function incrementalFile(paths) {
  const slug = paths.length === 0
    ? 'all'
    : paths.map((p) => p.replace(/[^A-Za-z0-9]+/g, '-')).sort().join('+').slice(0, 120);
  return `reports/mutation/incremental/${slug}.json`;
}

function runStryker(mutate, paths, strykerArgs) {
  const bin = path.join(ROOT, 'node_modules', '@stryker-mutator', 'core', 'bin', 'stryker.js');
  const ownIncrementalFile = strykerArgs.includes('--incrementalFile')
    ? []
    : ['--incrementalFile', incrementalFile(paths)];
  const args = [bin, 'run', 'stryker.config.mjs', '--mutate', mutate.join(','), ...ownIncrementalFile, ...strykerArgs];
  return spawnSync(process.execPath, args, { cwd: ROOT, stdio: 'inherit' }).status ?? 1;
}

/** The text a mutant replaces, from the report's 1-based line/column location. */
function originalText(source, location) {
  const lines = source.split('\n');
  const offset = ({ line, column }) =>
    lines.slice(0, line - 1).reduce((sum, text) => sum + text.length + 1, 0) + column - 1;
  return source.slice(offset(location.start), offset(location.end));
}

const squash = (text) => text.replace(/\s+/g, ' ').trim();

function loadEquivalents() {
  if (!fs.existsSync(EQUIVALENTS)) return [];
  const entries = JSON.parse(fs.readFileSync(EQUIVALENTS, 'utf-8'));
  for (const entry of entries) {
    for (const key of ['file', 'mutator', 'original', 'replacement', 'reason']) {
      if (typeof entry[key] !== 'string' || entry[key] === '') {
        throw new Error(`${path.relative(ROOT, EQUIVALENTS)}: every entry needs a non-empty "${key}", `
          + `got ${JSON.stringify(entry)}`);
      }
    }
    if (entry.context !== undefined && typeof entry.context !== 'string') {
      throw new Error(`${path.relative(ROOT, EQUIVALENTS)}: "context" must be a string, got ${JSON.stringify(entry)}`);
    }
  }
  return entries;
}

function summarize(report, equivalents) {
  const rows = new Map(SCOPE.map((scope) => [scope.folder, {
    ...scope, killed: 0, survived: 0, noCoverage: 0, timeout: 0, equivalent: 0, errors: 0, present: false,
  }]));
  const survivors = [];
  const used = new Set();
  for (const [fileName, file] of Object.entries(report.files)) {
    const rel = path.relative(ROOT, path.resolve(ROOT, fileName)).replace(/\\/g, '/');
    const scope = SCOPE.find((s) => rel.startsWith(`${s.folder}/`));
    if (!scope) continue;
    const row = rows.get(scope.folder);
    row.present = true;
    for (const mutant of file.mutants) {
      const original = originalText(file.source, mutant.location);
      const replacement = mutant.replacement ?? '';
      const lines = file.source.split('\n').slice(mutant.location.start.line - 1, mutant.location.end.line).join('\n');
      const excuse = equivalents.find((e) => e.file === rel && e.mutator === mutant.mutatorName
        && squash(e.original) === squash(original)
        && squash(e.replacement) === squash(replacement)
        && (e.context === undefined || squash(lines).includes(squash(e.context))));
      if (excuse && ['Survived', 'NoCoverage'].includes(mutant.status)) {
        used.add(excuse);
        row.equivalent++;
        continue;
      }
      if (excuse) used.add(excuse);
      switch (mutant.status) {
        case 'Killed': row.killed++; break;
        case 'Timeout': row.timeout++; break;
        case 'Survived': row.survived++; break;
        case 'NoCoverage': row.noCoverage++; break;
        case 'CompileError': case 'RuntimeError': row.errors++; break;
        default: break; // Ignored, Pending
      }
      if (mutant.status === 'Survived' || mutant.status === 'NoCoverage') {
        survivors.push(`${rel}:${mutant.location.start.line}  `
          + `${mutant.status === 'NoCoverage' ? 'no coverage' : 'survived'}  ${mutant.mutatorName}  `
          + `${JSON.stringify(squash(original)).slice(0, 80)} -> ${JSON.stringify(squash(replacement)).slice(0, 80)}`);
      }
    }
  }
  const unused = equivalents.filter((e) => !used.has(e)
    && [...rows.values()].some((row) => row.present && e.file.startsWith(`${row.folder}/`)));
  return { rows: [...rows.values()].filter((row) => row.present), survivors, unused };
}

function score(row) {
  const detected = row.killed + row.timeout;
  const valid = detected + row.survived + row.noCoverage;
  return valid === 0 ? undefined : (detected / valid) * 100;
}

function printTable(rows) {
  const header = ['folder', 'killed', 'survived', 'no coverage', 'timeout', 'equivalent', 'score', 'target'];
  const body = rows.map((row) => {
    const s = score(row);
    return [
      row.folder,
      row.killed,
      row.survived,
      row.noCoverage,
      row.timeout,
      row.equivalent,
      s === undefined ? 'n/a' : `${s.toFixed(1)} %`,
      `${row.target} %${s !== undefined && s < row.target ? ' MISSED' : ''}`,
    ].map(String);
  });
  const widths = header.map((title, i) => Math.max(title.length, ...body.map((cells) => cells[i].length)));
  const format = (cells) => cells
    .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i])))
    .join('  ');
  console.log([
    '',
    'Mutation score per folder (equivalent mutants excluded):',
    format(header),
    ...body.map(format),
  ].join('\n'));
}

function main() {
  const { paths, strykerArgs } = parseArgs(process.argv.slice(2));
  const mutate = selectMutate(paths);
  const status = runStryker(mutate, paths, strykerArgs);
  if (status !== 0) {
    console.error(`Stryker exited with ${status}.`);
    process.exit(status);
  }
  // A dry run tests no mutant and writes no report: the one on disk, if any, is an older run's.
  if (strykerArgs.includes('--dryRunOnly')) return;
  const report = JSON.parse(fs.readFileSync(REPORT, 'utf-8'));
  const { rows, survivors, unused } = summarize(report, loadEquivalents());
  if (survivors.length > 0) {
    console.log([
      '',
      `Mutants no test detects (${survivors.length}):`,
      ...survivors.map((line) => `  ${line}`),
    ].join('\n'));
  }
  if (unused.length > 0) {
    console.log([
      '',
      `Listed as equivalent but not found among the surviving mutants (${unused.length}; remove or correct them):`,
      ...unused.map((e) => `  ${e.file}  ${e.mutator}  `
        + `${JSON.stringify(e.original)} -> ${JSON.stringify(e.replacement)}`),
    ].join('\n'));
  }
  printTable(rows);
  const missed = rows.filter((row) => score(row) !== undefined && score(row) < row.target);
  if (missed.length > 0) {
    console.log(`\n${missed.map((row) => row.folder).join(', ')} below target.`);
    process.exit(1);
  }
}

if (require.main === module) main();

module.exports = { SCOPE, selectMutate, summarize, score };
