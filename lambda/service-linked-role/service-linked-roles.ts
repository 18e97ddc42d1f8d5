import { CreateServiceLinkedRoleCommand, IAMClient, InvalidInputException } from '@aws-sdk/client-iam';

// Created once per execution environment; the default configuration, so the standard variables configure it.
const iam = new IAMClient({});

/**
 * Creates the service-linked role of a service (e.g. AWSServiceRoleForECS for `ecs.amazonaws.com`).
 * Returns 'created', or 'exists' when the account has it already (IAM then answers InvalidInputException
 * "... has been taken in this account ..."); any other error is thrown.
 */
export async function createServiceLinkedRole(serviceName: string): Promise<'created' | 'exists'> {
  try {
    await iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: serviceName }));
    return 'created';
  } catch (error) {
    if (error instanceof InvalidInputException && /has been taken/.test(error.message)) return 'exists';
    throw error;
  }
}
