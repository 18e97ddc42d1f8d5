import type { CloudFormationCustomResourceEvent, CloudFormationCustomResourceResponse } from 'aws-lambda';
import * as z from 'zod/mini';
import { sendResponse } from './cloudformation-response';
import { createServiceLinkedRole } from './service-linked-roles';
import { isServicePrincipal, SERVICE_PRINCIPAL_RULE } from './service-principal';

/**
 * How long to wait after creating a role, before CloudFormation creates what uses it. IAM is eventually consistent:
 * CreateServiceLinkedRole returns before every AWS service can assume the new role, and no API says when ECS can
 * (a GetRole that succeeds only shows that IAM's own reads see it). So a fixed pause: IAM changes usually propagate
 * within seconds; 20 s leaves a margin, and it is paid once per account, only when the role was created.
 */
export const PROPAGATION_PAUSE_MS = 20_000;

/** A CloudFormation reason stays readable in the console and well under the 4 KB response limit. */
const MAX_REASON_LENGTH = 1_000;

const propertiesSchema = z.object({
  ServiceName: z.string().check(z.refine(isServicePrincipal)),
});

export type Pause = (milliseconds: number) => Promise<void>;

const sleep: Pause = (milliseconds) => new Promise((resolve) => setTimeout(resolve, milliseconds));

/**
 * The `Custom::ServiceLinkedRole` handler: on Create and Update, makes sure the service-linked role of the resource's
 * ServiceName exists (creating it if needed, then pausing for IAM to propagate); on Delete, does nothing, because the
 * role is shared by every resource of that service in the account and costs nothing. Always answers CloudFormation.
 */
export function serviceLinkedRoleHandler(
  pause: Pause = sleep,
): (event: CloudFormationCustomResourceEvent) => Promise<void> {
  return async (event) => {
    const response = await respond(event, pause);
    console.info(JSON.stringify({ requestType: event.RequestType, status: response.Status, reason: response.Reason }));
    await sendResponse(event.ResponseURL, response);
  };
}

export const handler = serviceLinkedRoleHandler();

async function respond(
  event: CloudFormationCustomResourceEvent, pause: Pause,
): Promise<CloudFormationCustomResourceResponse> {
  if (event.RequestType === 'Delete') {
    return answer(event, 'SUCCESS', event.PhysicalResourceId,
      'The service-linked role is kept: every resource of its service in the account uses it');
  }
  const properties = propertiesSchema.safeParse(event.ResourceProperties);
  if (!properties.success) {
    return answer(event, 'FAILED', failedId(event),
      `ServiceName must be ${SERVICE_PRINCIPAL_RULE}, got ${JSON.stringify(event.ResourceProperties?.ServiceName)}`);
  }
  const serviceName = properties.data.ServiceName;
  try {
    const outcome = await createServiceLinkedRole(serviceName);
    if (outcome === 'created') await pause(PROPAGATION_PAUSE_MS);
    return answer(event, 'SUCCESS', serviceName, outcome === 'created'
      ? `Created the service-linked role of ${serviceName} `
        + `and waited ${PROPAGATION_PAUSE_MS / 1000} s for IAM to propagate it`
      : `The service-linked role of ${serviceName} exists already`);
  } catch (error) {
    const { name, message } = error instanceof Error ? error : { name: 'Error', message: String(error) };
    return answer(event, 'FAILED', failedId(event),
      `Could not create the service-linked role of ${serviceName}: ${name}: ${message}`);
  }
}

/** A failed Update keeps the resource's id (no replacement); a failed Create gets one unique to the request. */
function failedId(event: CloudFormationCustomResourceEvent): string {
  return event.RequestType === 'Create' ? `failed-${event.RequestId}` : event.PhysicalResourceId;
}

function answer(
  event: CloudFormationCustomResourceEvent, status: 'SUCCESS' | 'FAILED', physicalResourceId: string, reason: string,
): CloudFormationCustomResourceResponse {
  return {
    Status: status,
    Reason: reason.length > MAX_REASON_LENGTH ? `${reason.slice(0, MAX_REASON_LENGTH - 3)}...` : reason,
    PhysicalResourceId: physicalResourceId,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
  };
}
