import * as path from 'path';
import * as vm from 'vm';

// jest.config.js runs every test file with compile-once-runtime.js, which replaces vm.compileFunction in the worker:
// this file's `vm` is that same module, so these calls go through the replacement as jest's module loading does.
const PARAMS = ['module', 'exports', 'require'];
const inPackage = path.join(__dirname, '..', '..', 'node_modules', 'some-package', 'index.js');
const inProject = path.join(__dirname, 'some-module.js');

function load(filename: string, code: string) {
  const context = vm.createContext({});
  const fn = vm.compileFunction(code, PARAMS, { filename, parsingContext: context });
  const module = { exports: {} as Record<string, unknown> };
  fn(module, module.exports, () => undefined);
  return { fn, module, context };
}

/** The file and line of the first stack frame in `filename`. */
function frameIn(error: Error, filename: string): string | undefined {
  return error.stack!.split('\n').find((line) => line.includes(filename))?.replace(/^.*\((.*):\d+\)$/, '$1');
}

test('a package\'s module runs as jest compiled it: parameters, exports, and a comment on its last line', () => {
  const { module } = load(inPackage, 'exports.sum = (a, b) => a + b;\nmodule.exports.kind = typeof require; // last');
  expect(module.exports.kind).toBe('function');
  expect((module.exports.sum as (a: number, b: number) => number)(2, 3)).toBe(5);
});

test('a package\'s module is compiled as a script, in the context jest gives it', () => {
  const { fn, context } = load(inPackage, 'exports.x = 1;');
  expect(fn.name).toBe('');
  expect(fn.toString()).toBe('function (module, exports, require) {exports.x = 1;\n}');
  expect(Object.getPrototypeOf(fn)).toBe(vm.runInContext('Function.prototype', context));
});

test('the project\'s own modules are compiled by jest\'s vm.compileFunction, as before', () => {
  const { fn, context } = load(inProject, 'exports.x = 1;');
  // vm.compileFunction's own text of the function: a line break after the brace, where the script has none.
  expect(fn.toString()).toBe('function (module, exports, require) {\nexports.x = 1;\n}');
  expect(Object.getPrototypeOf(fn)).toBe(vm.runInContext('Function.prototype', context));
});

test.each([['a package', inPackage], ['the project', inProject]])(
  'an error thrown by %s\'s module names its file and line',
  (_where, filename) => {
    const { module } = load(filename, 'exports.fail = () => {\n  const x = 1;\n  throw new Error(`boom ${x}`);\n};');
    let thrown: Error | undefined;
    try {
      (module.exports.fail as () => void)();
    } catch (error) {
      thrown = error as Error;
    }
    expect(thrown?.message).toBe('boom 1');
    expect(frameIn(thrown!, filename)).toBe(`${filename}:3`);
  },
);

test('a package\'s import() goes to the loader jest passes, as it does for the project\'s modules', async () => {
  const importModuleDynamically = async (specifier: string): Promise<never> => {
    throw new Error(`no ${specifier} here`);
  };
  const fn = vm.compileFunction('return import("some-esm-package");', [], {
    filename: inPackage, parsingContext: vm.createContext({}), importModuleDynamically,
  } as vm.CompileFunctionOptions);
  const error = await fn().catch((thrown: NodeJS.ErrnoException) => thrown);
  // Node.js 20 calls it only with --experimental-vm-modules and says so; without the loader it says none was given.
  expect(error.code).not.toBe('ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING');
  expect(error.message).toMatch(/^(no some-esm-package here|.*--experimental-vm-modules.*)$/);
});

test('a call without a context, which jest does not make, is left to vm.compileFunction', () => {
  const fn = vm.compileFunction('return 1 + 1;', [], { filename: inPackage });
  expect(fn()).toBe(2);
  expect(fn.toString()).toBe('function () {\nreturn 1 + 1;\n}');
});
