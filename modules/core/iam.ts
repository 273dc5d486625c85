/** IAM policy documents, readable (and checkable) in the synthesized Terraform and valid in its HCL form. */
import { terraformJson } from './terraform-json';

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

/** A policy document: plain JSON, or `jsonencode` when it refers to other resources (see terraformJson). */
export function policyDocument(statements: readonly PolicyStatement[]): string {
  return terraformJson({ Version: '2012-10-17', Statement: statements });
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
