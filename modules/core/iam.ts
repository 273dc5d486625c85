/** IAM policy documents, readable (and checkable) in the synthesized Terraform and valid in its HCL form. */
import { Fn, Token } from 'cdktf';

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal?: '*' | Readonly<Record<string, string | readonly string[]>>;
  readonly NotPrincipal?: Readonly<Record<string, string | readonly string[]>>;
  readonly Action: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly NotResource?: string | readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | boolean | readonly string[]>>>>;
}

/**
 * A policy document. Without tokens it is a plain JSON string. With tokens (ARNs of resources
 * in the same stack) it is rendered with Terraform's `jsonencode`: a JSON string holding
 * `${...}` interpolations is valid Terraform JSON, but `cdktf synth --hcl` mangles it.
 */
export function policyDocument(statements: readonly PolicyStatement[]): string {
  const document = { Version: '2012-10-17', Statement: statements };
  return containsToken(document) ? Fn.jsonencode(document) : JSON.stringify(document);
}

function containsToken(value: unknown): boolean {
  if (typeof value === 'string') return Token.isUnresolved(value);
  if (Array.isArray(value)) return value.some(containsToken);
  if (value && typeof value === 'object') return Object.values(value).some(containsToken);
  return false;
}

/** Denies every request made without TLS (`aws:SecureTransport = false`). */
export function denyInsecureTransport(resources: readonly string[]): PolicyStatement {
  return {
    Sid: 'DenyInsecureTransport',
    Effect: 'Deny',
    Principal: '*',
    Action: '*',
    Resource: resources,
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  };
}

/** Trust policy of a role assumed by an AWS service (`ecs-tasks.amazonaws.com`). */
export function serviceTrustPolicy(service: string, condition?: PolicyStatement['Condition']): string {
  return policyDocument([
    { Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole', ...(condition ? { Condition: condition } : {}) },
  ]);
}
