import { App } from 'aws-cdk-lib';
import { LabContext } from '../lib/lab-context';

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
