/**
 * One IAM request through a real policy evaluator (`@cloud-copilot/iam-simulate`, AGPL: tests
 * only) over synthesized policies. A simulation the library rejects (unknown action, context key
 * of the wrong type, resource of the wrong type for the action) fails the test: it is never read
 * as a Deny.
 */
import { runSimulation } from '@cloud-copilot/iam-simulate';

export type Decision = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';

export interface IamRequest {
  /** A role ARN, an account root, or a service principal (`delivery.logs.amazonaws.com`). */
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  /** Account owning the resource. */
  readonly resourceAccount: string;
  readonly context?: Record<string, string | string[]>;
  /** Policies attached to the principal (none for a service principal). */
  readonly identityPolicies?: readonly unknown[];
  /** The bucket, key or trust policy of the resource. */
  readonly resourcePolicy?: unknown;
}

/** What AWS sets on every request of an IAM principal and the library leaves to the caller. */
function principalContext(principal: string): Record<string, string> {
  const arn = /^arn:aws:iam::(\d{12}):/.exec(principal);
  return arn ? { 'aws:PrincipalArn': principal, 'aws:PrincipalAccount': arn[1] } : {};
}

export async function decide(request: IamRequest): Promise<Decision> {
  const response = await runSimulation(
    {
      request: {
        principal: request.principal,
        action: request.action,
        resource: { resource: request.resource, accountId: request.resourceAccount },
        contextVariables: { ...principalContext(request.principal), ...(request.context ?? {}) },
      },
      identityPolicies: (request.identityPolicies ?? []).map((policy, index) => ({ name: `identity-${index}`, policy })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: request.resourcePolicy,
    },
    {},
  );
  if (response.resultType === 'error') {
    throw new Error(`iam-simulate rejected ${request.action} on ${request.resource}: ${JSON.stringify(response.errors)}`);
  }
  return response.overallResult as Decision;
}
