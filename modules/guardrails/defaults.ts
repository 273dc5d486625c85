/** Every constant the guardrail rules share, named once. */

/** A suppression's reason must say why, not just "ok": at least this many characters. */
export const MIN_SUPPRESSION_REASON_LENGTH = 20;

/** Rule id of findings about suppressions themselves (no reason, unknown rule). */
export const SUPPRESSION_RULE_ID = 'PLAT-GUARD-1';

/** Everyone, in IPv4 and IPv6. */
export const ANYWHERE_CIDRS: readonly string[] = ['0.0.0.0/0', '::/0'];

/** The only ports an internet-facing ALB's security group may open to anywhere. */
export const PUBLIC_ALB_PORTS: readonly number[] = [80, 443];

/**
 * The tag that marks the security group of an internet-facing ALB when the ALB itself lives in
 * another stack (the network stack owns the group, the platform stack the ALB). A group
 * attached to an `aws_lb` of the same stack needs no tag.
 */
export const PUBLIC_ALB_SECURITY_GROUP_TAG = { key: 'exposure', value: 'public-alb' } as const;

/** Highest port number: a rule from 0 (or 1) to this covers every port. */
export const MAX_PORT = 65535;

/**
 * ELB security policies that allow only TLS 1.2+ with forward secrecy (the TLS 1.3 families and
 * the FS-1-2-Res ones). The first is the one to use.
 */
export const MODERN_TLS_POLICIES: readonly string[] = [
  'ELBSecurityPolicy-TLS13-1-2-2021-06',
  'ELBSecurityPolicy-TLS13-1-2-Res-2021-06',
  'ELBSecurityPolicy-TLS13-1-3-2021-06',
  'ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04',
  'ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04',
  'ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04',
  'ELBSecurityPolicy-FS-1-2-Res-2020-10',
  'ELBSecurityPolicy-FS-1-2-Res-2019-08',
];
export const RECOMMENDED_TLS_POLICY = MODERN_TLS_POLICIES[0];

/** AWS managed policies that grant `*` on `*`. */
export const ADMIN_MANAGED_POLICY_ARNS: readonly string[] = ['arn:aws:iam::aws:policy/AdministratorAccess'];

/** The AWS managed Secrets Manager key: not a customer-managed key. */
export const AWS_MANAGED_SECRETS_KEY = 'alias/aws/secretsmanager';
