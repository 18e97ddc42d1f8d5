import { App } from 'aws-cdk-lib';
import { LabContext } from '../lib/lab-context';
import { synthLabs } from './helpers/synth';

const contextOf = (context: Record<string, unknown>) => new LabContext(new App({ context }));

test('reads strings, numbers and booleans as the CLI passes them (-c key=value gives strings)', () => {
  const context = contextOf({ name: ' blue ', count: '4', exact: 2, on: 'true', off: false });
  expect(context.string('name')).toBe('blue');
  expect(context.number('count')).toBe(4);
  expect(context.number('exact')).toBe(2);
  expect(context.boolean('on')).toBe(true);
  expect(context.boolean('off')).toBe(false);
});

test('returns undefined for values that are not set', () => {
  const context = contextOf({});
  expect(context.string('name')).toBeUndefined();
  expect(context.number('count')).toBeUndefined();
  expect(context.boolean('on')).toBeUndefined();
});

test('fails on values of the wrong kind, naming the key and the value', () => {
  const context = contextOf({ count: 'four', empty: '', on: 'yes' });
  expect(() => context.number('count')).toThrow('Context value count must be a number, got "four"');
  expect(() => context.string('empty')).toThrow('Context value empty must be a non-empty string, got ""');
  expect(() => context.boolean('on')).toThrow('Context value on must be true or false, got "yes"');
});

describe('a context key that nothing reads', () => {
  const afterReading = (context: Record<string, unknown>, keys: string[]) => {
    const labContext = contextOf(context);
    for (const key of keys) labContext.raw(key);
    return () => labContext.checkAllRead();
  };

  test('fails the synth, naming it and the nearest key that was read', () => {
    expect(afterReading({ instanceTyp: 't3.small' }, ['instanceType', 'sshCidr'])).toThrow(
      'Unknown context key "instanceTyp": no lab reads it. Did you mean "instanceType"? '
        + 'The labs read: instanceType, sshCidr.');
  });

  test('suggests a key that differs only in case, and none that is far off', () => {
    expect(afterReading({ instancetype: 'x' }, ['instanceType'])).toThrow('Did you mean "instanceType"?');
    expect(afterReading({ colour: 'x' }, ['instanceType'])).toThrow(
      'Unknown context key "colour": no lab reads it. The labs read: instanceType.');
  });

  test('suggests within 2 edits, or a third of the key\'s length, and not beyond', () => {
    expect(afterReading({ c: 'x' }, ['cpu'])).toThrow('Did you mean "cpu"?');
    expect(afterReading({ xyz: 'x' }, ['cpu'])).toThrow(/^Unknown context key "xyz": no lab reads it\. The labs/);
    expect(afterReading({ maxWorkersX: 'x' }, ['maxWorkers'])).toThrow('Did you mean "maxWorkers"?');
    expect(afterReading({ throttlingRateLimitXYZ: 'x' }, ['throttlingRateLimit']))
      .toThrow('Did you mean "throttlingRateLimit"?');
    expect(afterReading({ throttlingXYZ: 'x' }, ['throttlingRateLimit'])).not.toThrow('Did you mean');
  });

  test('lists every unknown key', () => {
    expect(afterReading({ a1: 'x', b2: 'y' }, ['known'])).toThrow(
      'Unknown context key "a1": no lab reads it. Unknown context key "b2": no lab reads it. The labs read: known.');
  });

  test('passes keys that were read, set or not, feature flags, and the CDK\'s own keys and lookups', () => {
    expect(afterReading({
      'instanceType': 't3.small',
      '@aws-cdk/core:newStyleStackSynthesis': true,
      'aws:cdk:bundling-stacks': [],
      'availability-zones:account=123456789012:region=us-east-1': ['us-east-1a'],
      'acknowledged-issue-numbers': [123],
    }, ['instanceType', 'sshCidr'])).not.toThrow();
  });

  test('fails the app\'s synth on a typo of a lab\'s setting, as `-c retryAtempts=1` gives it', () => {
    expect(() => synthLabs(['S3UploadsLab'], { context: { retryAtempts: '1' } }))
      .toThrow(/^Unknown context key "retryAtempts": no lab reads it\. Did you mean "retryAttempts"\?/);
  });
});
