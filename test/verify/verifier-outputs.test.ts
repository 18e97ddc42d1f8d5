import * as fs from 'fs';
import * as path from 'path';
import { LabName } from '../../bin/labs';
import { VERIFIED_LABS, VerifiedLab } from '../../lib/verify/verified-labs';
import { loadVerifier } from '../../lib/verify/verifiers';
import { synthLabs, templateOf } from '../helpers/synth';

// verify reads the outputs a lab's verifier declares before any check runs, and fails up front, naming the one a
// stack lacks. So a check may only read declared outputs (else it meets "undefined" halfway), and a declared output
// must be one the lab's template has (else verify refuses every deployed copy of the lab).
const LABS_DIR = path.join(__dirname, '..', '..', 'lib', 'verify', 'labs');

/** Outputs a lab has only with an option, which its checks read only when the stack has them. */
const OPTIONAL_OUTPUTS: Partial<Record<VerifiedLab, string[]>> = {
  FargateServiceLab: ['Url'], // the load balancer's, with -c withLoadBalancer=true
};

/** The verifier's file: Ec2AsgAlbLab in ec2-asg-alb.ts. */
function sourceOf(lab: VerifiedLab): string {
  const file = lab.replace(/Lab$/, '').replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
  return fs.readFileSync(path.join(LABS_DIR, `${file}.ts`), 'utf-8');
}

/** Every `outputs.<Name>` a source reads. */
function outputsRead(source: string): string[] {
  return [...new Set([...source.matchAll(/\boutputs\.(\w+)/g)].map((match) => match[1]))].sort();
}

test('finds what a source reads (the tests below have something to compare)', () => {
  expect(outputsRead('outputs.Url; context.outputs.TableName; (outputs.Url); myoutputs.X; outputs[key]'))
    .toEqual(['TableName', 'Url']);
});

describe.each(VERIFIED_LABS)('%s', (lab) => {
  const { outputs } = loadVerifier(lab);

  test('declares exactly the outputs its checks read, but for those it has only with an option', () => {
    expect([...outputs, ...OPTIONAL_OUTPUTS[lab] ?? []].sort()).toEqual(outputsRead(sourceOf(lab)));
  });

  test('declares only outputs of its lab\'s template', () => {
    const template = templateOf(synthLabs([lab as LabName]), lab);
    expect(Object.keys(template.Outputs ?? {})).toEqual(expect.arrayContaining([...outputs]));
  });
});
