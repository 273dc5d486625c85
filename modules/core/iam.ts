/** IAM policy documents as plain JSON, so every policy is readable (and checkable) in the synthesized Terraform. */

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
 * A policy document as a JSON string. Statements may hold string tokens (ARNs of resources in
 * the same stack): they become `${aws_x.y.arn}` interpolations inside the JSON, so the
 * synthesized policy stays plain JSON to a reviewer and to the guardrails.
 */
export function policyDocument(statements: readonly PolicyStatement[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
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
