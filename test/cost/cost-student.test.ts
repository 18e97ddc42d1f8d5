import { costReport, parseArgs, synthesizedCosts } from '../../bin/cost';
import type { LabCost } from '../../lib/cost/report';
import { LAB_NAMES } from '../../lib/lab-names';

// npm run cost -- --student <name>: every lab synthesized in classroom mode, as that student's deploy would be.
jest.setTimeout(180_000);

describe('--student on the command line', () => {
  test('reads no argument, or a student', () => {
    expect(parseArgs([])).toEqual({});
    expect(parseArgs(['--student', 'alice'])).toEqual({ student: 'alice' });
    expect(parseArgs(['--student', 'a'])).toEqual({ student: 'a' });
    expect(parseArgs(['--student', 'abcdefghijklmnopqrst'])).toEqual({ student: 'abcdefghijklmnopqrst' });
    expect(parseArgs(['-h'])).toBe('help');
  });

  test.each([
    ['an empty name', ''],
    ['a name of 21 characters', 'abcdefghijklmnopqrstu'],
    ['uppercase', 'Alice'],
    ['a leading digit', '3team'],
  ])('fails on %s, saying what a name may be', (_, name) => {
    expect(() => parseArgs(['--student', name]))
      .toThrow(`A student name is 1-20 lowercase letters, digits or hyphens, starting with a letter (for example alice `
        + `or team-3), got ${JSON.stringify(name)}`);
  });

  test('fails on --student without a name, and on anything else', () => {
    expect(() => parseArgs(['--student'])).toThrow('--student needs a name');
    expect(() => parseArgs(['LambdaUsersLab'])).toThrow('npm run cost takes only --student <name>, got LambdaUsersLab');
    expect(() => parseArgs(['--student', 'alice', '--students']))
      .toThrow('npm run cost takes only --student <name>, got --students');
  });
});

describe('the costs of a student\'s copies (every lab synthesized)', () => {
  let alone: LabCost[];
  let alice: LabCost[];
  beforeAll(() => {
    alone = synthesizedCosts();
    alice = synthesizedCosts({ student: 'alice' });
  });
  const byName = (costs: LabCost[]) => new Map(costs.map((cost) => [cost.lab, cost]));

  test('prices every lab as the stack <name>-<Lab>, and nothing of the class\'s own stack', () => {
    expect(alice.map((cost) => cost.lab).sort()).toEqual(LAB_NAMES.map((lab) => `alice-${lab}`).sort());
  });

  test('reports only the student\'s stacks, saying the class\'s network is not counted', () => {
    const report = costReport({ student: 'alice' });
    expect(report.split('\n')[0]).toBe('Classroom mode, student alice: the stacks alice-<Lab>, which use the class\'s '
      + 'network (its own costs are not counted here).');
    const summary = report.split('\n\n')[2].split('\n').map((line) => line.trim().split(/\s+/)[0]);
    expect(summary.sort()).toEqual(LAB_NAMES.map((lab) => `alice-${lab}`).sort());
    expect(report).not.toMatch(/^ {2}ClassroomSetup /m);
  });

  test('prices a student\'s copy the same whatever the student\'s name: one name prices the class', () => {
    const other = byName(synthesizedCosts({ student: 'abcdefghijklmnopqrst' }));
    for (const cost of alice) {
      const same = other.get(cost.lab.replace(/^alice-/, 'abcdefghijklmnopqrst-'))!;
      expect({ lab: cost.lab, lines: same.lines, perUse: same.perUse, hourly: same.knownHourly })
        .toEqual({ lab: cost.lab, lines: cost.lines, perUse: cost.perUse, hourly: cost.knownHourly });
    }
  });

  // The class's network has no hourly cost (no NAT gateway), so a student's copy idles at the lab's own figure.
  const idleAlike = (lab: string) => {
    const own = byName(alone).get(lab)!;
    const copy = byName(alice).get(`alice-${lab}`)!;
    expect({ lab, hourly: copy.knownHourly.toFixed(4), atLeast: copy.incomplete })
      .toEqual({ lab, hourly: own.knownHourly.toFixed(4), atLeast: own.incomplete });
  };
  test.each([...LAB_NAMES])(
    '%s idles at the same cost in classroom mode as deployed alone', idleAlike);

});
