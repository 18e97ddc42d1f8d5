import { cdkJsonContext, templateOnlyContext, WITHOUT_BUNDLING, WITHOUT_STACK_TRACES } from '../lib/cdk-json';

// The context of a synth that a tool reads templates from (npm run cost, npm run preflight).
describe('templateOnlyContext', () => {
  test('is cdk.json\'s context, with nothing bundled and no stack trace recorded', () => {
    expect(templateOnlyContext()).toEqual({ ...cdkJsonContext(), ...WITHOUT_BUNDLING, ...WITHOUT_STACK_TRACES });
    expect(Object.keys(cdkJsonContext()).length).toBeGreaterThan(0);
  });

  test('adds the given values, which win over cdk.json\'s', () => {
    const [flag] = Object.keys(cdkJsonContext());
    expect(templateOnlyContext({ student: 'alice', [flag]: 'changed' }))
      .toMatchObject({ student: 'alice', [flag]: 'changed', 'aws:cdk:bundling-stacks': [] });
  });

  test('bundles nothing and records no stack trace, whatever the given values say', () => {
    expect(templateOnlyContext({
      'aws:cdk:bundling-stacks': ['**'],
      'aws:cdk:disable-creation-stack-traces': false,
      'aws:cdk:disable-stack-trace': false,
    })).toMatchObject({
      'aws:cdk:bundling-stacks': [],
      'aws:cdk:disable-creation-stack-traces': true,
      'aws:cdk:disable-stack-trace': true,
    });
  });
});
