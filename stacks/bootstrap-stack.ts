/**
 * shared-bootstrap (tooling account): what remote state and CI need before any other stack can
 * run. Applied once by hand with local state, then migrated into the bucket it creates
 * (README, "Bootstrap").
 *
 * - the state bucket: versioned, KMS-encrypted, public access blocked, TLS-only, old versions
 *   expire after STATE_NONCURRENT_VERSION_DAYS;
 * - the state roles (./state-access.ts): one read-only role for remote-state reads and
 *   pull-request plans, and per environment a write role limited to `<env>/` that only the
 *   environment's apply role may assume; the bucket policy enforces the same split;
 * - the GitHub OIDC provider and, per environment, a read-only plan role (pull requests and the
 *   drift schedule on the protected branch) and an apply role (only the environment's GitHub
 *   environment, whose protection rules gate it). CI roles hold no AWS permissions of their own
 *   beyond state: they assume the environment's plan or deploy role.
 */
import type { Construct } from 'constructs';
import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { LayerStack } from './layer-stack';
import type { PlatformStackProps } from './stack-props';
import type { EnvironmentConfig, OrganizationConfig } from '../environments/schema';
import { SecureBucket } from '../modules/core/secure-bucket';
import { CustomerManagedKey } from '../modules/core/customer-managed-key';
import { policyDocument, type PolicyStatement } from '../modules/core/iam';
import { stateKeyPrefix, stateReadRoleArn, stateWriteRoleArn } from './state-access';
import { PLATFORM_ADMIN_ROLE_PREFIX, roleArn, spokeAttachmentRoleName, STATE_KEY_ALIAS } from '../modules/core/shared-names';
import { protect } from '../modules/core/protection';

export const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';
export const GITHUB_OIDC_AUDIENCE = 'sts.amazonaws.com';
/** GitHub's published certificate thumbprints (AWS no longer checks them for this provider, the API still takes them). */
export const GITHUB_OIDC_THUMBPRINTS = ['6938fd4d98bab03faadb97b34396831e3780aea1', '1c58a3a8518e8759bf075b76b750d4f2df264fcd'];
export const STATE_NONCURRENT_VERSION_DAYS = 90;
/** Name of the read-only role in every account that pull-request plans assume, unless the config names one. */
export const DEFAULT_PLAN_ROLE_NAME = 'platform-plan';
export const CI_ROLE_MAX_SESSION_SECONDS = 3600;
export { STATE_KEY_ALIAS };

/**
 * The roles one environment's CI assumes, deploy and plan pairwise (same index): the plan and
 * deploy roles of its accounts (the shared environment spans three) and, for an environment in
 * another account than the network hub (`hub`), the hub's attachment roles for it
 * (`spokeAttachmentRoleName`), never the hub's deploy or plan role.
 */
export function environmentAccountRoles(env: EnvironmentConfig, hub: EnvironmentConfig): { planRoleArns: string[]; deployRoleArns: string[] } {
  const accounts = [
    { accountId: env.accountId, deployRoleArn: env.deployRoleArn, planRoleArn: env.planRoleArn },
    ...Object.values(env.organization?.accounts ?? {}).map((account) => ({ ...account, planRoleArn: undefined })),
  ];
  const spoke = env.accountId !== hub.accountId;
  return {
    planRoleArns: [
      ...accounts.map((a) => a.planRoleArn ?? roleArn(a.accountId, DEFAULT_PLAN_ROLE_NAME)),
      ...(spoke ? [roleArn(hub.accountId, spokeAttachmentRoleName(env.name, 'plan'))] : []),
    ],
    deployRoleArns: [
      ...accounts.map((a) => a.deployRoleArn),
      ...(spoke ? [roleArn(hub.accountId, spokeAttachmentRoleName(env.name, 'apply'))] : []),
    ],
  };
}

export function ciRoleName(kind: 'plan' | 'apply', environment: string): string {
  return `ci-${kind}-${environment}`;
}

/**
 * Bucket-policy guards of the state bucket, in force whatever an identity policy says: only an
 * environment's state write role (or a platform administrator) writes or deletes under
 * `<env>/`, and no object outside the environments' prefixes is written by anyone else either.
 */
export function stateWriteGuards(bucketArn: string, state: OrganizationConfig['state'], environments: readonly string[], adminPattern: string): PolicyStatement[] {
  const writes = ['s3:PutObject', 's3:DeleteObject', 's3:DeleteObjectVersion'];
  return [
    {
      Sid: 'OnlyStateWriteRolesWrite',
      Effect: 'Deny',
      Principal: '*',
      Action: writes,
      Resource: `${bucketArn}/*`,
      Condition: { ArnNotLike: { 'aws:PrincipalArn': [...environments.map((env) => stateWriteRoleArn(state, env)), adminPattern] } },
    },
    ...environments.map(
      (env): PolicyStatement => ({
        Sid: `OnlyTheStateRoleOf${env.replace(/(^|[^A-Za-z0-9])([a-z0-9])/g, (_, __, c: string) => c.toUpperCase())}Writes`,
        Effect: 'Deny',
        Principal: '*',
        Action: writes,
        Resource: `${bucketArn}/${stateKeyPrefix(env)}*`,
        Condition: { ArnNotLike: { 'aws:PrincipalArn': [stateWriteRoleArn(state, env), adminPattern] } },
      }),
    ),
  ];
}

function roleNameOf(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

export class BootstrapStack extends LayerStack {
  readonly stateBucket: SecureBucket;

  constructor(scope: Construct, props: PlatformStackProps) {
    const organization = props.platform.organization;
    super(scope, {
      platform: props.platform,
      environment: props.platform.shared,
      layer: 'bootstrap',
      account: organization.accounts.tooling,
      localStatePath: organization.state.bootstrapMigrated ? undefined : 'bootstrap.tfstate',
    });
    const tooling = organization.accounts.tooling.accountId;
    const state = organization.state;
    const ciRoleArns = props.platform.environments.flatMap((env) =>
      (['plan', 'apply'] as const).map((kind) => roleArn(tooling, ciRoleName(kind, env.name))),
    );

    const stateKey = new CustomerManagedKey(this, 'state_key', {
      description: 'Terraform state of the platform',
      aliasName: STATE_KEY_ALIAS,
      accountId: tooling,
      region: this.region,
    }).key;

    // The tooling account's administrators (break glass) may assume the state roles and write state.
    const admins = roleArn(tooling, `${PLATFORM_ADMIN_ROLE_PREFIX}*`);
    const environments = props.platform.environments.map((env) => env.name);
    this.stateBucket = new SecureBucket(this, 'state', {
      bucketName: organization.state.bucket,
      kmsKeyArn: stateKey.arn,
      policyStatements: (arn) => stateWriteGuards(arn, state, environments, admins),
      lifecycleRules: [
        {
          id: 'expire-old-state-versions',
          status: 'Enabled',
          filter: [{}],
          noncurrentVersionExpiration: [{ noncurrentDays: STATE_NONCURRENT_VERSION_DAYS }],
        },
      ],
    });

    const bucketArn = this.stateBucket.bucket.arn;
    const stateRoleTrust = (principalArns: readonly string[]) =>
      policyDocument([
        {
          Sid: 'CiRolesAndAccountAdmins',
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${tooling}:root` },
          Action: ['sts:AssumeRole', 'sts:TagSession'],
          Condition: { ArnLike: { 'aws:PrincipalArn': [...principalArns, admins] } },
        },
      ]);
    const stateReadRole = new IamRole(this, 'state_read_role', {
      name: roleNameOf(stateReadRoleArn(state)),
      description: 'Read every Terraform state object, write none; assumed by remote-state reads and pull-request plans',
      maxSessionDuration: CI_ROLE_MAX_SESSION_SECONDS,
      assumeRolePolicy: stateRoleTrust(ciRoleArns),
    });
    new IamRolePolicy(this, 'state_read_role_access', {
      role: stateReadRole.name,
      name: 'terraform-state-read',
      policy: policyDocument([
        { Sid: 'ListState', Effect: 'Allow', Action: 's3:ListBucket', Resource: bucketArn },
        { Sid: 'ReadState', Effect: 'Allow', Action: 's3:GetObject', Resource: `${bucketArn}/*` },
        { Sid: 'DecryptState', Effect: 'Allow', Action: 'kms:Decrypt', Resource: stateKey.arn },
      ]),
    });
    const stateWriteRoles = new Map<string, IamRole>();
    for (const env of props.platform.environments) {
      const prefix = `${bucketArn}/${stateKeyPrefix(env.name)}*`;
      const role = new IamRole(this, `state_write_role_${env.name}`, {
        name: roleNameOf(stateWriteRoleArn(state, env.name)),
        description: `Read and write the Terraform state of ${env.name} (${stateKeyPrefix(env.name)}*) only; assumed by its backends`,
        maxSessionDuration: CI_ROLE_MAX_SESSION_SECONDS,
        assumeRolePolicy: stateRoleTrust([roleArn(tooling, ciRoleName('apply', env.name))]),
      });
      new IamRolePolicy(this, `state_write_role_${env.name}_access`, {
        role: role.name,
        name: `terraform-state-${env.name}`,
        policy: policyDocument([
          // Listing names no object's content; the S3 backend lists workspaces (`env:/`) on init.
          { Sid: 'ListState', Effect: 'Allow', Action: 's3:ListBucket', Resource: bucketArn },
          { Sid: 'ReadWriteEnvironmentStateAndLocks', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], Resource: prefix },
          { Sid: 'StateKey', Effect: 'Allow', Action: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'], Resource: stateKey.arn },
        ]),
      });
      stateWriteRoles.set(env.name, role);
    }

    const oidc = new IamOpenidConnectProvider(this, 'github_oidc', {
      url: `https://${GITHUB_OIDC_HOST}`,
      clientIdList: [GITHUB_OIDC_AUDIENCE],
      thumbprintList: GITHUB_OIDC_THUMBPRINTS,
    });
    protect(oidc, 'GitHub OIDC provider: every CI role trusts it; without it no pipeline can plan or apply');
    const { repository, protectedBranch } = organization.github;

    for (const env of props.platform.environments) {
      const roles = environmentAccountRoles(env, props.platform.shared);
      const subjects = {
        plan: [`repo:${repository}:pull_request`, `repo:${repository}:ref:refs/heads/${protectedBranch}`],
        apply: [`repo:${repository}:environment:${env.name}`],
      };
      for (const kind of ['plan', 'apply'] as const) {
        const role = new IamRole(this, `ci_${kind}_${env.name}`, {
          name: ciRoleName(kind, env.name),
          description: `GitHub Actions ${kind} of ${env.name}: assumes the environment's ${kind === 'plan' ? 'read-only plan' : 'deploy'} roles`,
          maxSessionDuration: CI_ROLE_MAX_SESSION_SECONDS,
          assumeRolePolicy: policyDocument([
            {
              Effect: 'Allow',
              Principal: { Federated: oidc.arn },
              Action: 'sts:AssumeRoleWithWebIdentity',
              Condition: {
                StringEquals: { [`${GITHUB_OIDC_HOST}:aud`]: GITHUB_OIDC_AUDIENCE },
                'ForAnyValue:StringEquals': { [`${GITHUB_OIDC_HOST}:sub`]: subjects[kind] },
              },
            },
          ]),
        });
        new IamRolePolicy(this, `ci_${kind}_${env.name}_assume`, {
          role: role.name,
          name: 'assume-environment-roles',
          policy: policyDocument([
            {
              Sid: 'EnvironmentRoles',
              Effect: 'Allow',
              Action: ['sts:AssumeRole', 'sts:TagSession'],
              Resource: kind === 'plan' ? roles.planRoleArns : roles.deployRoleArns,
            },
            {
              Sid: 'TerraformState',
              Effect: 'Allow',
              Action: 'sts:AssumeRole',
              Resource: kind === 'plan' ? [stateReadRole.arn] : [stateReadRole.arn, stateWriteRoles.get(env.name)!.arn],
            },
          ]),
        });
      }
    }
  }
}
