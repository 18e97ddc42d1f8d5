import * as fs from 'fs';
import * as path from 'path';

// The PR workflow cannot run here; these check the promises it makes: CI's own steps, the review, pinned actions.
const ROOT = path.join(__dirname, '..', '..');
const workflow = fs.readFileSync(path.join(ROOT, '.github', 'workflows', 'pull-request.yml'), 'utf-8');

test('runs exactly what CI runs, then the Markdown review against the PR\'s base into the job summary', () => {
  expect(workflow).toContain('run: bash .ci/run');
  expect(workflow).toContain('BASE_REF: ${{ github.base_ref }}');
  expect(workflow).toContain('run: npm run --silent review -- --markdown "origin/$BASE_REF" >> "$GITHUB_STEP_SUMMARY"');
  expect(workflow).toContain('fetch-depth: 0');
});

test('pins every action to a full commit SHA with its release in a comment, and holds no AWS credentials', () => {
  const uses = [...workflow.matchAll(/uses: (.*)/g)].map((match) => match[1]);
  expect(uses.length).toBeGreaterThan(0);
  for (const action of uses) expect(action).toMatch(/^[\w-]+\/[\w-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+\b/);
  expect(workflow).not.toMatch(/AWS_|aws-actions|secrets\./);
});

test('runs on Node.js 24, the users function\'s runtime', () => {
  expect(workflow).toMatch(/node-version: 24\b/);
});
