import { joinRegExp } from './join-regexp';

test('joins the pieces\' sources as they are, escapes included', () => {
  expect(joinRegExp(/^a \(b\) /, /c\/d\.e$/).source).toBe(String.raw`^a \(b\) c\/d\.e$`);
  expect(joinRegExp(/^a \(b\) /, /c\/d\.e$/).test('a (b) c/d.e')).toBe(true);
  expect(joinRegExp(/^a \(b\) /, /c\/d\.e$/).test('a (b) c/dxe')).toBe(false);
});

test('takes the flags of the first piece only', () => {
  expect(joinRegExp(/^x/m, /y$/i).flags).toBe('m');
  expect(joinRegExp(/^x/, /y$/).test('first line\nxy')).toBe(false);
  expect(joinRegExp(/^x/m, /y$/).test('first line\nxy')).toBe(true);
});

test('one piece is that piece', () => {
  expect(joinRegExp(/^a+$/g)).toEqual(/^a+$/g);
});
