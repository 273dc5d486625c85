import type { JsonValue } from '../../../tools/plan/plan-json';
import { securityConcern, type SecurityCheckInput } from '../../../tools/plan/security';
import { policyWidenings } from '../../../tools/plan/policy-widening';
import { summarizePlan } from '../../../tools/plan/summarize';
import { loadFixture } from './fixtures';

const input = (type: string, after: JsonValue, overrides: Partial<SecurityCheckInput> = {}): SecurityCheckInput => ({
  type,
  writes: true,
  deletesOnly: false,
  before: null,
  after,
  afterUnknown: () => false,
  ...overrides,
});

describe('securityConcern', () => {
  describe('flags', () => {
    it.each<[string, SecurityCheckInput]>([
      ['an IAM role', input('aws_iam_role', { name: 'r' })],
      ['an IAM role policy', input('aws_iam_role_policy', { policy: '{}' })],
      ['an IAM policy attachment', input('aws_iam_role_policy_attachment', { role: 'r' })],
      ['an inline ingress open to 0.0.0.0/0', input('aws_security_group', { ingress: [{ cidr_blocks: ['0.0.0.0/0'] }] })],
      ['an inline ingress open to ::/0', input('aws_security_group', { ingress: [{ ipv6_cidr_blocks: ['::/0'] }] })],
      ['an ingress rule open to 0.0.0.0/0', input('aws_security_group_rule', { type: 'ingress', cidr_blocks: ['0.0.0.0/0'] })],
      ['a VPC ingress rule open to ::/0', input('aws_vpc_security_group_ingress_rule', { cidr_ipv6: '::/0' })],
      ['a KMS key policy change', input('aws_kms_key', { policy: 'b' }, { before: { policy: 'a' } })],
      ['a KMS key policy known after apply', input('aws_kms_key', { policy: null }, { afterUnknown: (a) => a === 'policy' })],
      ['a KMS key policy resource', input('aws_kms_key_policy', { policy: 'p' })],
      ['a bucket policy', input('aws_s3_bucket_policy', { policy: 'p' })],
      ['a bucket public access block', input('aws_s3_bucket_public_access_block', { block_public_acls: false })],
      ['the account public access block', input('aws_s3_account_public_access_block', { block_public_acls: false })],
      ['deleting an IAM policy', input('aws_iam_policy', null, { deletesOnly: true, before: { name: 'p' } })],
    ])('%s', (_name, change) => {
      expect(securityConcern(change)).toBeDefined();
    });
  });

  describe('does not flag', () => {
    it.each<[string, SecurityCheckInput]>([
      ['an ingress limited to a private range', input('aws_security_group', { ingress: [{ cidr_blocks: ['10.0.0.0/8'] }] })],
      ['an egress rule open to 0.0.0.0/0', input('aws_security_group_rule', { type: 'egress', cidr_blocks: ['0.0.0.0/0'] })],
      ['deleting an open rule', input('aws_security_group_rule', null, { deletesOnly: true })],
      ['a KMS key with the same policy', input('aws_kms_key', { policy: 'a', description: 'y' }, { before: { policy: 'a' } })],
      ['a no-op on an IAM role', input('aws_iam_role', { name: 'r' }, { writes: false })],
      ['an IAM user', input('aws_iam_user', { name: 'u' })],
      ['a plain bucket', input('aws_s3_bucket', { bucket: 'b' })],
    ])('%s', (_name, change) => {
      expect(securityConcern(change)).toBeUndefined();
    });
  });

  it('flags a real resource_change entry when its type is security-sensitive', () => {
    const plan = loadFixture('update-in-place');
    const [entry] = plan.resource_changes ?? [];
    const asIamRole = { ...plan, resource_changes: [{ ...entry, type: 'aws_iam_role', address: 'aws_iam_role.app' }] };
    expect(summarizePlan('s', asIamRole).changes[0].securityConcern).toBe('IAM policy, role or attachment');
    expect(summarizePlan('s', plan).changes[0].securityConcern).toBeUndefined();
  });
});

describe('policy widening', () => {
  const doc = (...statements: unknown[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
  const allow = (principal: unknown, action: unknown, extra: Record<string, unknown> = {}) => ({ Effect: 'Allow', Principal: principal, Action: action, Resource: '*', ...extra });
  const own = 'arn:aws:kms:eu-west-1:111111111111:key/k';

  it.each([
    ['principal "*"', allow('*', 'kms:Decrypt'), 'policy statement "#1" allows principal "*" (anyone)'],
    ['another account', allow({ AWS: 'arn:aws:iam::999999999999:root' }, 'kms:Decrypt'), 'policy statement "#1" allows account 999999999999 (arn:aws:iam::999999999999:root)'],
    ['a wildcard action', allow({ AWS: 'arn:aws:iam::111111111111:root' }, 'kms:*'), 'policy statement "#1" allows action "kms:*"'],
  ])('names %s granted by an update', (_what, statement, finding) => {
    const before = { arn: own, policy: doc(allow({ AWS: 'arn:aws:iam::111111111111:root' }, 'kms:Decrypt')) };
    expect(policyWidenings(before, { arn: own, policy: doc(statement) })).toEqual([finding]);
  });

  it('says nothing when the grants stay the same or shrink, or the account is the resource\'s own', () => {
    const wide = { arn: own, policy: doc(allow('*', 'kms:*'), allow({ AWS: 'arn:aws:iam::999999999999:root' }, 'kms:Decrypt')) };
    expect(policyWidenings(wide, wide)).toEqual([]);
    expect(policyWidenings(wide, { arn: own, policy: doc(allow({ AWS: 'arn:aws:iam::111111111111:root' }, 'kms:Decrypt')) })).toEqual([]);
  });

  it('on a new policy names only a principal "*" that no condition limits', () => {
    const created = (statement: unknown) => policyWidenings(null, { policy: doc(statement) });
    expect(created(allow({ AWS: 'arn:aws:iam::999999999999:root' }, 'kms:*'))).toEqual([]);
    expect(created(allow('*', 's3:GetObject'))).toEqual(['policy statement "#1" allows principal "*" (anyone)']);
    expect(created(allow('*', 's3:GetObject', { Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc' } } }))).toEqual([]);
  });
});
