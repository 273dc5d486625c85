import { Testing } from 'cdktf';
import { BootstrapStack, ciRoleName } from '../../stacks/bootstrap-stack';
import { validatePlatform } from '../../environments/load';
import { shippedPlatform, synthJson, resourcesOf } from '../helpers/platform';
import { asRaw, shippedConfigs } from '../helpers/environments';
import { readJsonDocument } from '../helpers/json-document';
import { decide, policyWith } from '../helpers/access';
import { stateKeyAliasArn } from '../../modules/core/shared-names';

const json = synthJson(new BootstrapStack(Testing.app(), { platform: shippedPlatform() }));
const policyOf = (resource: any) => readJsonDocument(resource.policy);
const roles = resourcesOf(json, 'aws_iam_role');
const trustOf = (name: string) => readJsonDocument(roles[name].assume_role_policy);

describe('BootstrapStack', () => {
  it('keeps its own state locally until migrated, in the tooling account', () => {
    expect(json.terraform.backend).toEqual({ local: { path: '../../../bootstrap.tfstate' } });
    expect(json.provider.aws[0].allowed_account_ids).toEqual(['410987654321']);
  });

  it('has a read-only state role and one write role per environment, and no role that writes all state', () => {
    // What each may do is proven in __tests__/contracts ("Terraform state, least privilege").
    const names = Object.values<any>(roles).map((r) => r.name);
    expect(names).not.toContain('platform-state');
    expect(names).toEqual(expect.arrayContaining(['platform-state-read', 'platform-state-dev', 'platform-state-staging', 'platform-state-prod', 'platform-state-shared']));
  });

  it('moves to the S3 backend once the state is migrated', () => {
    const configs = shippedConfigs();
    configs.shared.organization.state.bootstrapMigrated = true;
    const migrated = synthJson(new BootstrapStack(Testing.app(), { platform: validatePlatform(asRaw(configs)) }));
    expect(migrated.terraform.backend.s3).toMatchObject({ key: 'shared/bootstrap.tfstate', use_lockfile: true });
  });

  describe('the state bucket', () => {
    const [bucketName] = Object.keys(resourcesOf(json, 'aws_s3_bucket'));
    const ref = `\${aws_s3_bucket.${bucketName}.id}`;

    it('is versioned, KMS-encrypted, private and kept on destroy', () => {
      expect(resourcesOf(json, 'aws_s3_bucket')[bucketName]).toMatchObject({ bucket: 'acme-platform-terraform-state', lifecycle: { prevent_destroy: true } });
      expect(Object.values(resourcesOf(json, 'aws_s3_bucket_versioning'))[0]).toMatchObject({ bucket: ref, versioning_configuration: { status: 'Enabled' } });
      const sse = Object.values<any>(resourcesOf(json, 'aws_s3_bucket_server_side_encryption_configuration'))[0];
      expect(sse.rule[0].apply_server_side_encryption_by_default.sse_algorithm).toBe('aws:kms');
      expect(Object.values(resourcesOf(json, 'aws_s3_bucket_public_access_block'))[0]).toMatchObject({
        block_public_acls: true,
        block_public_policy: true,
        ignore_public_acls: true,
        restrict_public_buckets: true,
      });
    });

    it('refuses requests without TLS', () => {
      const policy = policyOf(Object.values<any>(resourcesOf(json, 'aws_s3_bucket_policy'))[0]);
      expect(policy.Statement).toContainEqual(expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
    });

    it('expires noncurrent state versions', () => {
      const rules = Object.values<any>(resourcesOf(json, 'aws_s3_bucket_lifecycle_configuration'))[0].rule;
      expect(rules).toContainEqual(expect.objectContaining({ id: 'expire-old-state-versions', noncurrent_version_expiration: [{ noncurrent_days: 90 }] }));
    });
  });

  describe('the state key', () => {
    // Every backend writes with kms_key_id = the state key's alias ARN (LayerStack); S3 calls KMS as the
    // caller (the state role), and KMS authorizes against the key ARN behind the alias: identity policy
    // and key policy must both allow. https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#aws-managed-customer-managed-keys
    const TOOLING = '410987654321';
    const KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab';
    const keyArn = `arn:aws:kms:eu-west-1:${TOOLING}:key/${KEY_ID}`;
    const refs = {
      'aws_kms_key.state_key.arn': keyArn,
      'aws_kms_key.state_key.key_id': KEY_ID,
      'aws_s3_bucket.state_bucket.arn': 'arn:aws:s3:::acme-platform-terraform-state',
      'aws_iam_role.state_read_role.arn': `arn:aws:iam::${TOOLING}:role/platform-state-read`,
      ...Object.fromEntries(['dev', 'staging', 'prod', 'shared'].map((env) => [`aws_iam_role.state_write_role_${env}.arn`, `arn:aws:iam::${TOOLING}:role/platform-state-${env}`])),
    };
    const keyPolicy = policyWith(resourcesOf(json, 'aws_kms_key').state_key.policy, refs);
    const policies = resourcesOf(json, 'aws_iam_role_policy');

    it('is the key the backends name by alias', () => {
      expect(resourcesOf(json, 'aws_kms_alias').state_key_alias.name).toBe(stateKeyAliasArn(shippedPlatform().organization).split(':').pop());
    });

    it.each(['kms:GenerateDataKey', 'kms:Decrypt', 'kms:Encrypt'].flatMap((action) => ['dev', 'prod'].map((env) => [env, action])))(
      "lets %s's state write role %s with it (identity and key policy)",
      async (env, action) => {
        const decision = await decide({
          principal: `arn:aws:iam::${TOOLING}:role/platform-state-${env}`,
          action,
          resource: keyArn,
          resourceAccount: TOOLING,
          identityPolicies: [policyWith(policies[`state_write_role_${env}_access`].policy, refs)],
          resourcePolicy: keyPolicy,
        });
        expect(decision).toBe('Allowed');
      },
    );

    it.each([
      ['kms:Decrypt', 'Allowed'],
      ['kms:GenerateDataKey', 'ImplicitlyDenied'],
      ['kms:Encrypt', 'ImplicitlyDenied'],
    ])('lets the read-only state role %s with it: %s', async (action, expected) => {
      const decision = await decide({
        principal: `arn:aws:iam::${TOOLING}:role/platform-state-read`,
        action,
        resource: keyArn,
        resourceAccount: TOOLING,
        identityPolicies: [policyWith(policies.state_read_role_access.policy, refs)],
        resourcePolicy: keyPolicy,
      });
      expect(decision).toBe(expected);
    });

    it('is not usable by a CI role directly (only through the state roles)', async () => {
      const decision = await decide({
        principal: `arn:aws:iam::${TOOLING}:role/ci-plan-dev`,
        action: 'kms:Decrypt',
        resource: keyArn,
        resourceAccount: TOOLING,
        identityPolicies: [policyWith(policies.ci_plan_dev_assume.policy, refs)],
        resourcePolicy: keyPolicy,
      });
      expect(decision).toBe('ImplicitlyDenied');
    });
  });

  describe('CI roles', () => {
    it('exist for plan and apply of every environment', () => {
      for (const env of ['dev', 'staging', 'prod', 'shared']) {
        expect(roles[`ci_plan_${env}`].name).toBe(ciRoleName('plan', env));
        expect(roles[`ci_apply_${env}`].name).toBe(ciRoleName('apply', env));
      }
    });

    it('trust only this repository through GitHub OIDC; apply only from its GitHub environment', () => {
      const plan = trustOf('ci_plan_prod').Statement[0];
      const apply = trustOf('ci_apply_prod').Statement[0];
      expect(plan.Action).toBe('sts:AssumeRoleWithWebIdentity');
      expect(plan.Condition.StringEquals).toEqual({ 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' });
      expect(plan.Condition['ForAnyValue:StringEquals']['token.actions.githubusercontent.com:sub']).toEqual([
        'repo:acme/platform:pull_request',
        'repo:acme/platform:ref:refs/heads/main',
      ]);
      expect(apply.Condition['ForAnyValue:StringEquals']['token.actions.githubusercontent.com:sub']).toEqual(['repo:acme/platform:environment:prod']);
    });

    it('let plan assume only read-only roles and apply only the deploy roles of their environment', () => {
      const policies = resourcesOf(json, 'aws_iam_role_policy');
      const planPolicy = policyOf(policies.ci_plan_prod_assume);
      const applyPolicy = policyOf(policies.ci_apply_shared_assume);
      // prod's network stack finishes its attachment in the hub account through the hub's read-only / apply attachment roles for prod.
      expect(planPolicy.Statement[0].Resource).toEqual(['arn:aws:iam::710987654321:role/platform-plan', 'arn:aws:iam::210987654321:role/platform-network-attach-prod-read']);
      expect(policyOf(policies.ci_apply_prod_assume).Statement[0].Resource).toEqual([
        'arn:aws:iam::710987654321:role/platform-deploy',
        'arn:aws:iam::210987654321:role/platform-network-attach-prod',
      ]);
      // The shared VPC is in the hub account: no attachment role.
      expect(applyPolicy.Statement[0].Resource).toEqual([
        'arn:aws:iam::210987654321:role/platform-deploy',
        'arn:aws:iam::310987654321:role/platform-deploy',
        'arn:aws:iam::410987654321:role/platform-deploy',
      ]);
    });

    it('never let a spoke environment assume the hub account deploy or plan role', () => {
      const policies = resourcesOf(json, 'aws_iam_role_policy');
      for (const env of ['dev', 'staging', 'prod']) {
        for (const kind of ['plan', 'apply']) {
          const resources: string[] = policyOf(policies[`ci_${kind}_${env}_assume`]).Statement[0].Resource;
          expect(resources.filter((arn) => arn.startsWith('arn:aws:iam::210987654321:'))).toEqual([
            `arn:aws:iam::210987654321:role/platform-network-attach-${env}${kind === 'plan' ? '-read' : ''}`,
          ]);
        }
      }
    });
  });
});
