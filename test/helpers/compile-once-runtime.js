const path = require('path');
const vm = require('vm');

/**
 * jest's runtime, with the packages' modules compiled once per worker instead of once per test file.
 *
 * Jest gives every test file a fresh module registry and compiles each module it loads with `vm.compileFunction`,
 * whose code V8 does not cache: every file that imports aws-cdk-lib parsed its modules again, about half a second of
 * CPU per file. The packages' modules are compiled as `vm.Script`s here. V8 keeps a script's compiled code for the
 * process (a jest worker, which runs many files in turn), keyed by its source and name, and a script compiled in one
 * file's context runs in another's. Only files under node_modules take this path: jest does not transform them, so
 * their source is the same in every file. The project's files keep jest's path, and every column of their stack traces.
 */
const PACKAGES = `${path.sep}node_modules${path.sep}`;
const compileFunction = vm.compileFunction;

vm.compileFunction = function compilePackageModule(code, params = [], options = {}) {
  if (!options.parsingContext || !options.filename?.includes(PACKAGES)) return compileFunction(code, params, options);
  // One line, so that the module's line numbers stay; the newline ends a comment on the module's last line.
  const script = new vm.Script(`(function (${params.join(', ')}) {${code}\n})`, {
    filename: options.filename,
    importModuleDynamically: options.importModuleDynamically,
  });
  return script.runInContext(options.parsingContext);
};

module.exports = require('jest-runtime');
