import type { AwsClients } from '../aws/clients';
import type { StackOutputs } from '../aws/stack-outputs';
import type { Check } from './checklist';

export interface VerifyContext {
  readonly stackName: string;
  readonly outputs: StackOutputs;
  readonly aws: AwsClients;
  /** `--wait-scale-in`: also check that the lab's workers scale back to 0. */
  readonly waitScaleIn?: boolean;
}

export interface LabChecks {
  readonly checks: Check[];
  /** Removes what the checks created; runs after them whether they passed or not. Resolves with what it did. */
  readonly cleanUp?: () => Promise<string | undefined>;
}

/** How to check one deployed lab: the chapter's "test it" steps. */
export interface LabVerifier {
  /** The stack outputs the checks read. */
  readonly outputs: readonly string[];
  checks(context: VerifyContext): LabChecks;
}
