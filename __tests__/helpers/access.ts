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
  /** Role ARN, account root or service principal (`delivery.logs.amazonaws.com`); an IAM principal's `aws:PrincipalArn` and `aws:PrincipalAccount` are set as AWS sets them. */
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

/**
 * `kms:EncryptionContext:<key>` conditions: AWS sends them, but the evaluator's validation only
 * recognizes `/`-separated variable keys (`aws:ResourceTag/<key>`) and drops colon-separated ones.
 * They are carried under `aws:ResourceTag/kms:EncryptionContext:<key>`, renamed alike in the
 * request and in every policy's conditions, so the operator and values are evaluated unchanged.
 */
const ENCRYPTION_CONTEXT = /^kms:EncryptionContext:/i;
const CARRIER = 'aws:ResourceTag/';

function carried(key: string): string {
  return ENCRYPTION_CONTEXT.test(key) ? `${CARRIER}${key}` : key;
}

function withCarriedConditions(policy: unknown): unknown {
  if (!policy || typeof policy !== 'object') return policy;
  const document = policy as { Statement?: unknown };
  const statements = [document.Statement ?? []].flat() as Record<string, unknown>[];
  return {
    ...document,
    Statement: statements.map((statement) => {
      const condition = statement.Condition as Record<string, Record<string, unknown>> | undefined;
      if (!condition) return statement;
      return {
        ...statement,
        Condition: Object.fromEntries(Object.entries(condition).map(([operator, entries]) => [operator, Object.fromEntries(Object.entries(entries).map(([key, value]) => [carried(key), value]))])),
      };
    }),
  };
}

/** What AWS sets on every request of an IAM principal and the evaluator leaves to the caller. */
function principalContext(principal: string): Record<string, string> {
  const arn = /^arn:aws:iam::(\d{12}):/.exec(principal);
  return arn ? { 'aws:PrincipalArn': principal, 'aws:PrincipalAccount': arn[1] } : {};
}

/**
 * The evaluator's overall decision; a validation error (unknown action, bad ARN) throws, and so
 * does a context key the evaluator ignores, so a condition is never skipped silently.
 */
export async function decide(request: AccessRequest): Promise<Decision> {
  const context = Object.fromEntries(Object.entries({ ...principalContext(request.principal), ...request.context }).map(([key, value]) => [carried(key), value]));
  const response = await runSimulation(
    {
      request: {
        principal: request.principal,
        action: request.action,
        resource: { resource: request.resource, accountId: request.resourceAccount },
        contextVariables: context,
      },
      identityPolicies: (request.identityPolicies ?? []).map((policy, index) => ({ name: `identity-${index}`, policy: withCarriedConditions(policy) })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: withCarriedConditions(request.resourcePolicy),
    },
    {},
  );
  if (response.resultType === 'error') throw new Error(`iam-simulate rejected the request: ${JSON.stringify(response.errors)}`);
  const ignored = response.resultType === 'single' ? (response.result.ignoredContextKeys ?? []) : [];
  if (ignored.length > 0) throw new Error(`iam-simulate ignored context keys ${ignored.join(', ')} for ${request.action}: AWS does not send them with this action`);
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
