/**
 * One IAM decision by a real policy evaluator (`@cloud-copilot/iam-simulate`, AGPL: tests only):
 * the principal's identity policies and the resource's policy (resource, key or topic policy),
 * cross-account rules included. Context keys the evaluator does not know for the action are
 * dropped by it; `decide` fails when a key the caller gave was dropped, so no condition is
 * silently skipped.
 */
import { runSimulation } from '@cloud-copilot/iam-simulate';

export interface AccessRequest {
  /** Role ARN, or a service principal (`events.amazonaws.com`). */
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  /** Account owning the resource. */
  readonly resourceAccount: string;
  /** Identity policies of the principal (parsed JSON). @default - none (a service principal) */
  readonly identityPolicies?: readonly unknown[];
  /** Resource, key or topic policy (parsed JSON). @default - none */
  readonly resourcePolicy?: unknown;
  readonly context?: Readonly<Record<string, string | string[]>>;
}

export type Decision = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';

/** The global keys AWS sets for every request of `principal` (the evaluator leaves them to the caller). */
function principalContext(principal: string): Record<string, string> {
  const role = /^arn:aws:iam::(\d{12}):/.exec(principal);
  if (role) return { 'aws:PrincipalArn': principal, 'aws:PrincipalAccount': role[1], 'aws:PrincipalIsAWSService': 'false', 'aws:SecureTransport': 'true' };
  return { 'aws:PrincipalIsAWSService': 'true', 'aws:PrincipalServiceName': principal, 'aws:SecureTransport': 'true' };
}

export async function decide(request: AccessRequest): Promise<Decision> {
  const result = await runSimulation(
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
  if (result.resultType === 'error') throw new Error(`iam-simulate rejected the request ${request.action} on ${request.resource}: ${JSON.stringify(result.errors)}`);
  if (result.resultType !== 'single') throw new Error(`iam-simulate: expected one resource for ${request.resource}, got ${result.resultType}`);
  const ignored = result.result.ignoredContextKeys ?? [];
  if (ignored.length > 0) throw new Error(`iam-simulate ignored context keys ${ignored.join(', ')} for ${request.action}; the contract would skip their conditions`);
  return result.overallResult;
}
