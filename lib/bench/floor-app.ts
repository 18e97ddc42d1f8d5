#!/usr/bin/env node
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, AppProps, Stack } from 'aws-cdk-lib';
import { CfnInclude } from 'aws-cdk-lib/cloudformation-include';

/**
 * The floor that `npm run bench` holds the labs' synth to: a bare aws-cdk-lib app with the same resources and
 * nothing else. Each stack includes (CfnInclude) the template of one lab from a fresh synth of the labs, whose cloud
 * assembly FLOOR_TEMPLATES_DIR names: no constructs of ours, no guardrails, no cdk-nag, no bundling. The built-in
 * validator runs as cdk.json configures it, as for the labs. Not a lab: it exists to be measured.
 */
export const FLOOR_TEMPLATES_DIR = 'FLOOR_TEMPLATES_DIR';

/** What the floor stack adds itself: left out of an included template so that nothing is defined twice. */
const ADDED_BY_EVERY_STACK = {
  Parameters: ['BootstrapVersion'],
  Rules: ['CheckBootstrapVersion'],
  Resources: ['CDKMetadata'],
  Conditions: ['CDKMetadataAvailable'],
} as const;

/**
 * The bare app: one stack per stack of the assembly in `assemblyDir`, each including that stack's template.
 * `props` are the App's, as `cdk synth` gives them by default.
 */
export function createFloorApp(assemblyDir: string, props: AppProps = {}): App {
  const app = new App(props);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-floor-'));
  try {
    const manifest = JSON.parse(fs.readFileSync(path.join(assemblyDir, 'manifest.json'), 'utf-8'));
    for (const artifact of Object.values<any>(manifest.artifacts ?? {})) {
      if (artifact.type !== 'aws:cloudformation:stack') continue;
      const template = JSON.parse(fs.readFileSync(path.join(assemblyDir, artifact.properties.templateFile), 'utf-8'));
      for (const [section, names] of Object.entries(ADDED_BY_EVERY_STACK)) {
        for (const name of names) delete template[section]?.[name];
        if (template[section] && Object.keys(template[section]).length === 0) delete template[section];
      }
      const templateFile = path.join(scratch, artifact.properties.templateFile);
      fs.writeFileSync(templateFile, JSON.stringify(template));
      new CfnInclude(new Stack(app, artifact.displayName ?? artifact.properties.stackName), 'Lab', { templateFile });
    }
    return app;
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const assemblyDir = process.env[FLOOR_TEMPLATES_DIR];
  if (!assemblyDir) throw new Error(`${FLOOR_TEMPLATES_DIR} must name the cloud assembly of a synth of the labs`);
  createFloorApp(assemblyDir);
}
