/**
 * Access decisions over synthesized policies, by a real IAM policy evaluator
 * (`@cloud-copilot/iam-simulate`, AGPL: tests only). Policies come from cdk.tf.json with their
 * Terraform references (`${aws_kms_key.x.key_id}`) replaced by concrete values; a reference
 * left unresolved fails the test instead of passing silently.
 */
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { readJsonDocument } from './json-document';

export type Decision = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';

export interface AccessRequest {
  /** Role ARN or service principal (`delivery.logs.amazonaws.com`). */
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  /** Account that owns the resource. */
  readonly resourceAccount: string;
  /** Request context AWS sends (`aws:SourceAccount`, `aws:SourceArn`, `s3:x-amz-acl`...). */
  readonly context?: Readonly<Record<string, string | string[]>>;
  /** Identity policies of the principal (documents). @default - none (a service principal) */
  readonly identityPolicies?: readonly unknown[];
  /** The resource, trust or key policy. @default - none */
  readonly resourcePolicy?: unknown;
}

/** The evaluator's overall decision; a validation error (unknown action, bad ARN) throws. */
export async function decide(request: AccessRequest): Promise<Decision> {
  const response = await runSimulation(
    {
      request: {
        principal: request.principal,
        action: request.action,
        resource: { resource: request.resource, accountId: request.resourceAccount },
        contextVariables: { ...(request.context ?? {}) },
      },
      identityPolicies: (request.identityPolicies ?? []).map((policy, index) => ({ name: `identity-${index}`, policy })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: request.resourcePolicy,
    },
    {},
  );
  if (response.resultType === 'error') throw new Error(`iam-simulate rejected the request: ${JSON.stringify(response.errors)}`);
  return response.overallResult as Decision;
}

/**
 * A synthesized policy document (plain JSON or `${jsonencode(...)}`) with each Terraform
 * reference replaced: `references` maps `aws_kms_key.state_key.key_id` to its value.
 */
export function policyWith(text: string, references: Readonly<Record<string, string>> = {}): unknown {
  const substitute = (value: unknown): unknown => {
    if (typeof value === 'string') {
      const replaced = value.replace(/\$\{([^}]+)\}/g, (whole, address: string) => references[address] ?? whole);
      if (replaced.includes('${')) throw new Error(`unresolved reference in policy: ${replaced}; pass it in references`);
      return replaced;
    }
    if (Array.isArray(value)) return value.map(substitute);
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, substitute(item)]));
    return value;
  };
  return substitute(readJsonDocument(text));
}
