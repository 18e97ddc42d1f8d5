#!/usr/bin/env node
/**
 * Restores the lock entries of @unrs/resolver-binding-* (jest 30's native resolver) for the platforms
 * whose builds the package registry of this project's build machines does not serve. npm leaves them out
 * of package-lock.json when it cannot fetch them, and `npm ci` then refuses the lock file ("Missing: ...
 * from lock file"). With the entries back, npm ci skips them on Linux x64 and installs them on the
 * platforms they are for. Run after every `npm install` that rewrites the lock file; it is idempotent.
 */
const fs = require('fs');
const path = require('path');

const lockPath = path.join(__dirname, '..', 'package-lock.json');
const lock = JSON.parse(fs.readFileSync(lockPath, 'utf-8'));

// platform suffix -> [os, cpu, libc]
const PLATFORMS = {
  'android-arm-eabi': ['android', 'arm'],
  'android-arm64': ['android', 'arm64'],
  'darwin-arm64': ['darwin', 'arm64'],
  'darwin-x64': ['darwin', 'x64'],
  'freebsd-x64': ['freebsd', 'x64'],
  'linux-arm-gnueabihf': ['linux', 'arm', 'glibc'],
  'linux-arm-musleabihf': ['linux', 'arm', 'musl'],
  'linux-arm64-gnu': ['linux', 'arm64', 'glibc'],
  'linux-arm64-musl': ['linux', 'arm64', 'musl'],
  'linux-loong64-gnu': ['linux', 'loong64', 'glibc'],
  'linux-loong64-musl': ['linux', 'loong64', 'musl'],
  'linux-ppc64-gnu': ['linux', 'ppc64', 'glibc'],
  'linux-riscv64-gnu': ['linux', 'riscv64', 'glibc'],
  'linux-riscv64-musl': ['linux', 'riscv64', 'musl'],
  'linux-s390x-gnu': ['linux', 's390x', 'glibc'],
  'linux-x64-gnu': ['linux', 'x64', 'glibc'],
  'linux-x64-musl': ['linux', 'x64', 'musl'],
  'openharmony-arm64': ['openharmony', 'arm64'],
  'win32-arm64-msvc': ['win32', 'arm64'],
  'win32-ia32-msvc': ['win32', 'ia32'],
  'win32-x64-msvc': ['win32', 'x64'],
};

let added = 0;
for (const [key, entry] of Object.entries(lock.packages)) {
  if (!key.endsWith('node_modules/unrs-resolver')) continue;
  const parent = key.slice(0, -'unrs-resolver'.length);
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const entryKey = `${parent}${name}`;
    if (lock.packages[entryKey]) continue;
    const platform = PLATFORMS[name.replace('@unrs/resolver-binding-', '')];
    if (!platform) throw new Error(`unknown platform package ${name}: add it to PLATFORMS`);
    const [os, cpu, libc] = platform;
    lock.packages[entryKey] = {
      version, cpu: [cpu], ...(entry.dev ? { dev: true } : {}), ...(libc ? { libc: [libc] } : {}),
      license: 'MIT', optional: true, os: [os],
    };
    added++;
  }
}

lock.packages = Object.fromEntries(
  Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))),
);
fs.writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`package-lock.json: ${added} platform entries restored`);
