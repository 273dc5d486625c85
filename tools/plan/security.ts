import type { JsonValue } from './plan-json';
import { policyWidenings } from './policy-widening';

/** CIDR blocks that open a rule to the whole internet. */
const WORLD_CIDRS = new Set(['0.0.0.0/0', '::/0']);

/** Resource types whose every change is security-sensitive, with the reason shown in the comment. */
const ALWAYS_SENSITIVE_TYPES: Record<string, string> = {
  aws_kms_key_policy: 'KMS key policy',
  aws_s3_bucket_policy: 'S3 bucket policy',
  aws_s3_bucket_public_access_block: 'S3 bucket public access block',
  aws_s3_account_public_access_block: 'S3 account public access block',
};

/** IAM policies, roles and their attachments. */
const IAM_TYPE_PATTERN = /^aws_iam_\w*(policy|role|attachment)\w*$/;

/** The parts of a planned change the security rules look at. */
export interface SecurityCheckInput {
  type: string;
  /** False for no-op and read: nothing is written. */
  writes: boolean;
  /** True when the object is deleted and not created again. */
  deletesOnly: boolean;
  before: JsonValue | undefined;
  after: JsonValue | undefined;
  /** True when `after` is unknown at the given top-level attribute. */
  afterUnknown: (attribute: string) => boolean;
}

function asObject(value: JsonValue | undefined): Record<string, JsonValue> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : undefined;
}

function includesWorldCidr(value: JsonValue | undefined): boolean {
  if (typeof value === 'string') return WORLD_CIDRS.has(value.trim());
  return Array.isArray(value) && value.some((item) => typeof item === 'string' && WORLD_CIDRS.has(item.trim()));
}

function ruleOpensWorld(rule: Record<string, JsonValue> | undefined): boolean {
  if (!rule) return false;
  return ['cidr_blocks', 'ipv6_cidr_blocks', 'cidr_ipv4', 'cidr_ipv6'].some((key) => includesWorldCidr(rule[key]));
}

function worldOpenRule(input: SecurityCheckInput): string | undefined {
  const after = asObject(input.after);
  if (input.deletesOnly || !after) return undefined;
  switch (input.type) {
    case 'aws_security_group': {
      const ingress = after.ingress;
      const opens = Array.isArray(ingress) && ingress.some((rule) => ruleOpensWorld(asObject(rule)));
      return opens ? 'security group ingress open to 0.0.0.0/0 or ::/0' : undefined;
    }
    case 'aws_security_group_rule':
      return after.type === 'ingress' && ruleOpensWorld(after)
        ? 'security group rule open to 0.0.0.0/0 or ::/0'
        : undefined;
    case 'aws_vpc_security_group_ingress_rule':
      return ruleOpensWorld(after) ? 'security group ingress rule open to 0.0.0.0/0 or ::/0' : undefined;
    default:
      return undefined;
  }
}

function kmsKeyPolicyChanges(input: SecurityCheckInput): boolean {
  if (input.type !== 'aws_kms_key') return false;
  if (input.afterUnknown('policy')) return true;
  const before = asObject(input.before)?.policy ?? null;
  const after = asObject(input.after)?.policy ?? null;
  return JSON.stringify(before) !== JSON.stringify(after);
}

/**
 * Why a planned change is security-sensitive, or undefined when it is not: IAM policies, roles and attachments;
 * security group rules that open ingress to 0.0.0.0/0 or ::/0; KMS key policies; S3 bucket policies and public
 * access blocks; any JSON policy whose Allow statements newly grant principal `*`, another account or a
 * wildcard action (policy-widening.ts), named after the reason.
 */
export function securityConcern(input: SecurityCheckInput): string | undefined {
  if (!input.writes) return undefined;
  const widened = input.deletesOnly ? [] : policyWidenings(input.before, input.after);
  const concern = baseConcern(input) ?? (widened.length > 0 ? 'policy' : undefined);
  if (concern === undefined) return undefined;
  return widened.length > 0 ? `${concern}; **widened:** ${widened.join('; ')}` : concern;
}

function baseConcern(input: SecurityCheckInput): string | undefined {
  if (IAM_TYPE_PATTERN.test(input.type)) return 'IAM policy, role or attachment';
  if (input.type in ALWAYS_SENSITIVE_TYPES) return ALWAYS_SENSITIVE_TYPES[input.type];
  if (kmsKeyPolicyChanges(input)) return 'KMS key policy';
  return worldOpenRule(input);
}
