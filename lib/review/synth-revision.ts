import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

export interface Templates {
  /** Each stack's template, by stack name. */
  readonly templates: Record<string, any>;
  /**
   * Logical id -> construct path (`/FixtureLab/Api/Default/users/GET/Resource`), from the cloud assembly's metadata,
   * per stack.
   */
  readonly constructPaths: Record<string, Record<string, string>>;
}

/** A revision that does not synthesize; the message ends with the tail of the command's output. */
export class SynthError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SynthError';
  }
}

/**
 * Synthesizes the app checked out in `dir` with its own `cdk synth` (its cdk.json, its installed CDK) into `outdir`,
 * offline, and returns each stack's template by stack name. The CLI runs straight from the revision's install,
 * as `npx --no-install cdk` would find it, without npx's own start-up.
 */
export function synthRevision(dir: string, outdir: string): Templates {
  let cli: string;
  try {
    cli = require.resolve('aws-cdk/bin/cdk', { paths: [dir] });
  } catch {
    throw new SynthError(`cdk synth failed: the revision in ${dir} has no aws-cdk installed (npm ci there first)`);
  }
  const result = spawnSync(process.execPath, [cli, 'synth', '--quiet', '--output', outdir], {
    cwd: dir,
    encoding: 'utf-8',
    env: { ...process.env, CDK_DISABLE_VERSION_CHECK: 'true' },
  });
  if (result.status !== 0) {
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n').slice(-15).join('\n');
    throw new SynthError(`cdk synth failed (exit ${result.status ?? result.signal}):\n${output}`);
  }
  return readTemplates(outdir);
}

/** The stack templates of a cloud assembly and their construct paths, by stack name. */
export function readTemplates(outdir: string): Templates {
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf-8'));
  const result: Templates = { templates: {}, constructPaths: {} };
  for (const artifact of Object.values<any>(manifest.artifacts ?? {})) {
    if (artifact.type !== 'aws:cloudformation:stack') continue;
    const name = artifact.properties.stackName ?? artifact.displayName;
    result.templates[name] = JSON.parse(fs.readFileSync(path.join(outdir, artifact.properties.templateFile), 'utf-8'));
    const paths: Record<string, string> = {};
    // Newer cloud assemblies keep a stack's metadata in a file of its own.
    const metadata = artifact.additionalMetadataFile
      ? JSON.parse(fs.readFileSync(path.join(outdir, artifact.additionalMetadataFile), 'utf-8'))
      : artifact.metadata ?? {};
    for (const [constructPath, entries] of Object.entries<any[]>(metadata)) {
      const logicalId = entries.find((entry) => entry.type === 'aws:cdk:logicalId')?.data;
      if (logicalId) paths[logicalId] = constructPath;
    }
    result.constructPaths[name] = paths;
  }
  return result;
}
