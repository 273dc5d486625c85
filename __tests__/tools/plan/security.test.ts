import type { JsonValue } from '../../../tools/plan/plan-json';
import { securityConcern, type SecurityCheckInput } from '../../../tools/plan/security';
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
