/**
 * THE list of access contracts: every access path the platform intends (expected Allow) and the
 * paths that must not exist (expected Deny), each evaluated by __tests__/contracts/access-contracts.test.ts
 * with @cloud-copilot/iam-simulate over the policies as synthesized.
 *
 * Contracts are data: principal, action, resource, context, the expected decision and why. Most
 * families are derived from the synthesized JSON (every provider role, every trail, every flow
 * log, every secret reader...), so a new stack, environment or service is covered without an
 * edit here; where AWS behaviour is the only source of truth (the key a service writes, the
 * principal it uses), the contract cites the AWS documentation page.
 *
 * To add one: add a family below (a function from the synthesized platform to contracts) and
 * list it in ACCESS_CONTRACTS. The coverage test fails while a resource policy statement, a
 * trust policy statement or a role assumption of any stack is exercised by no contract.
 */
import { ciRoleName, GITHUB_OIDC_AUDIENCE, GITHUB_OIDC_HOST } from '../../stacks/bootstrap-stack';
import { stateKeyPrefix, stateReadRoleArn, stateWriteRoleArn } from '../../stacks/state-access';
import { ALERT_SEVERITIES, alertTopicName, roleArn } from '../../modules/core/shared-names';
import { deployRoleToPlanRole, environmentOf } from '../../tools/plan/stack-catalog';
import { readOnlyConfig } from '../../tools/plan/plan-config';
import type { AccessRequest, Decision } from './evaluator';
import type { PolicyInventory, PolicyKind } from './policy-inventory';
import { type Json, type SynthesizedPlatform, UnresolvedReference } from './synthesized-platform';
import { readJsonDocument } from '../helpers/json-document';

export interface AccessContract {
  /** Unique and stable: pendingFixes and reports name contracts by it. */
  readonly id: string;
  readonly request: AccessRequest;
  readonly expect: Decision;
  /** Why the access must (not) exist, with the AWS documentation page where AWS behaviour decides. */
  readonly why: string;
  /** A reason the path cannot work that no policy evaluation shows (a service that writes only to its own account). */
  readonly broken?: string;
  /** The role assumption (`<stack>:provider.aws.<alias>`, `<stack>:backend`...) this contract proves, for the coverage test. */
  readonly exercises?: string;
}

export interface ContractContext {
  readonly synthesized: SynthesizedPlatform;
  readonly inventory: PolicyInventory;
}

/** A family of contracts, derived from the synthesized platform. */
export type Family = (context: ContractContext) => AccessContract[];

/** A date and time in log keys: fixed, so keys are stable. */
const DAY = { year: '2026', month: '12', day: '04', hour: '10' };
const STAMP = `${DAY.year}${DAY.month}${DAY.day}T${DAY.hour}00Z`;
/** AWS WAF logs only to destinations whose name starts with this (DOCS.wafS3, DOCS.wafLogs). */
const WAF_LOG_PREFIX = 'aws-waf-logs-';
const OWNER_FULL_CONTROL = { 's3:x-amz-acl': 'bucket-owner-full-control' };

const DOCS = {
  assumeRole: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_permissions-to-switch.html',
  githubOidc: 'https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/configuring-openid-connect-in-amazon-web-services',
  s3Backend: 'https://developer.hashicorp.com/terraform/language/backend/s3#s3-bucket-permissions',
  cloudTrailBucket: 'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html',
  cloudTrailKey: 'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html',
  cloudTrailLogFiles: 'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/get-and-view-cloudtrail-log-files.html',
  cloudTrailLogs: 'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/send-cloudtrail-events-to-cloudwatch-logs.html',
  albLogs: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html',
  flowLogsS3: 'https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-path.html',
  flowLogsS3Permissions: 'https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-permissions.html',
  wafS3: 'https://docs.aws.amazon.com/waf/latest/developerguide/logging-s3.html',
  configBucket: 'https://docs.aws.amazon.com/config/latest/developerguide/s3-bucket-policy.html',
  configKey: 'https://docs.aws.amazon.com/config/latest/developerguide/s3-kms-key-policy.html',
  wafLogs: 'https://docs.aws.amazon.com/waf/latest/developerguide/logging-cw-logs.html',
  ecsSecrets: 'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-secrets-manager.html',
  ecrCrossAccount: 'https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-policy-examples.html',
  ecsExecutionRole: 'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html',
  secretsKms: 'https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html',
  secretsCrossAccount: 'https://docs.aws.amazon.com/secretsmanager/latest/userguide/auth-and-access_examples_cross.html',
  rotationPermissions: 'https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotating-secrets-required-permissions-function.html',
  kmsKeyPolicyDefault: 'https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html',
  logsKms: 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html',
  snsAlarms: 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html',
  snsKms: 'https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services',
  eventBridgeSns: 'https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-sns-permissions',
  eventBridgeCrossAccount: 'https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cross-account.html',
  eventBridgeAutomation: 'https://docs.aws.amazon.com/systems-manager/latest/userguide/automation-cwe-target.html',
  automationApi: 'https://docs.aws.amazon.com/systems-manager/latest/userguide/automation-action-executeAwsApi.html',
  backupSns: 'https://docs.aws.amazon.com/aws-backup/latest/devguide/sns-notifications.html',
  confusedDeputy: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html',
  tls: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html#transit',
} as const;

/**
 * The ELB account per Region for access-log delivery in Regions available before August 2022;
 * newer Regions use the service principal `logdelivery.elasticloadbalancing.amazonaws.com`.
 * Source: DOCS.albLogs, "Step 2: Attach a policy to your S3 bucket".
 */
export const ELB_LOG_DELIVERY_ACCOUNTS: Readonly<Record<string, string>> = {
  'us-east-1': '127311923021',
  'us-east-2': '033677994240',
  'us-west-1': '027434742980',
  'us-west-2': '797873946194',
  'eu-west-1': '156460612806',
  'eu-west-2': '652711504416',
  'eu-west-3': '009996457667',
  'eu-central-1': '054676820928',
  'eu-north-1': '897822967062',
  'ap-northeast-1': '582318560864',
  'ap-southeast-1': '114774131450',
  'ap-southeast-2': '783225319266',
};

// ---------------------------------------------------------------------------------------------
// Helpers shared by the families

const role = (arn: string) => ({ role: arn });
const service = (name: string) => ({ service: name });

function accountOf(arn: string): string {
  return arn.split(':')[4];
}

function s3Object(bucket: string, key: string): string {
  return `arn:aws:s3:::${bucket}/${key}`;
}

/** `(bucket, prefix)` of an S3 destination ARN `arn:aws:s3:::bucket/prefix`. */
function bucketAndPrefix(destination: string): { bucket: string; prefix: string } {
  const match = /^arn:aws:s3:::([^/]+)\/?(.*)$/.exec(destination);
  if (!match) throw new Error(`${destination} is not an S3 destination ARN`);
  return { bucket: match[1], prefix: match[2].replace(/\/$/, '') };
}

function withPrefix(prefix: string | undefined, key: string): string {
  return prefix ? `${prefix.replace(/\/$/, '')}/${key}` : key;
}

/** Account and Region of a synthesized bucket. */
function bucketPlacement({ synthesized }: Pick<ContractContext, 'synthesized'>, bucket: string): { accountId: string; region: string } | undefined {
  for (const [stack, type, name, body] of synthesized.allResources()) {
    if (type === 'aws_s3_bucket' && synthesized.resolveString(stack, `${stack}:${type}.${name}`, body.bucket) === bucket) return synthesized.placement(stack, `${type}.${name}`);
  }
  return undefined;
}

/** The KMS key (ARN) a bucket's default encryption names, if it uses SSE-KMS. */
function bucketKey({ synthesized }: ContractContext, bucket: string): string | undefined {
  for (const [stack, type, name, body] of synthesized.allResources()) {
    if (type !== 'aws_s3_bucket_server_side_encryption_configuration') continue;
    if (synthesized.resolveString(stack, `${stack}:${type}.${name}`, body.bucket) !== bucket) continue;
    const key = [body.rule ?? []].flat()[0]?.apply_server_side_encryption_by_default?.kms_master_key_id;
    return key ? keyArn({ synthesized } as ContractContext, stack, `${type}.${name}`, key) : undefined;
  }
  return undefined;
}

/** A key reference (key ARN, key id or alias ARN, literal or referenced) as the key ARN AWS resolves it to. */
function keyArn({ synthesized }: Pick<ContractContext, 'synthesized'>, stack: string, where: string, value: string): string {
  const resolved = synthesized.resolveString(stack, where, value);
  const alias = /^arn:aws:kms:([^:]+):(\d{12}):(alias\/.+)$/.exec(resolved);
  if (!alias) return resolved;
  for (const [aliasStack, type, name, body] of synthesized.allResources()) {
    if (type !== 'aws_kms_alias' || body.name !== alias[3]) continue;
    const placement = synthesized.placement(aliasStack, `${type}.${name}`);
    if (placement.accountId !== alias[2] || placement.region !== alias[1]) continue;
    const target = synthesized.resolveString(aliasStack, `${aliasStack}:${type}.${name}`, body.target_key_id);
    return target.startsWith('arn:') ? target : `arn:aws:kms:${alias[1]}:${alias[2]}:key/${target}`;
  }
  throw new UnresolvedReference(`${stack}:${where}`, resolved, 'no synthesized aws_kms_alias has this name in that account and region');
}

/** The key of a secret in its own Region and in each Region it is replicated to. */
function secretKeys(context: ContractContext, stack: string, address: string, body: Json): { region: string; kms: string }[] {
  const keys: { region: string; kms: string }[] = [];
  if (body.kms_key_id) keys.push({ region: context.synthesized.placement(stack, address).region, kms: keyArn(context, stack, `${address}.kms_key_id`, body.kms_key_id) });
  for (const replica of [body.replica ?? []].flat() as Json[]) {
    if (replica.kms_key_id) keys.push({ region: replica.region, kms: keyArn(context, stack, `${address}.replica.kms_key_id`, replica.kms_key_id) });
  }
  return keys;
}

function resources(context: ContractContext, type: string): { stack: string; address: string; body: Json }[] {
  return [...context.synthesized.allResources()].filter(([, t]) => t === type).map(([stack, t, name, body]) => ({ stack, address: `${t}.${name}`, body }));
}

function envOfStack(context: ContractContext, stack: string): string {
  return environmentOf(stack, context.synthesized.platform.environments.map((env) => env.name));
}

function ciRole(context: ContractContext, kind: 'plan' | 'apply', env: string): string {
  return roleArn(context.synthesized.platform.organization.accounts.tooling.accountId, ciRoleName(kind, env));
}

// ---------------------------------------------------------------------------------------------
// Families

/** CI roles reach every role their stacks' providers, backend and remote-state reads assume; plans with the swapped read-only roles. */
const ciAssumesStackRoles: Family = (context) => {
  const contracts: AccessContract[] = [];
  const planRoles = deployRoleToPlanRole(context.synthesized.platform);
  for (const stack of context.synthesized.stackNames) {
    const env = envOfStack(context, stack);
    // What `plan --read-only` (tools/plan) runs: every provider's deploy role swapped for its plan role.
    let planned: Json = context.synthesized.stacks[stack];
    let swapFailure: string | undefined;
    try {
      planned = readOnlyConfig(context.synthesized.stacks[stack], planRoles, stack).json;
    } catch (error) {
      swapFailure = `the plan tooling cannot plan this stack read-only: ${(error as Error).message}`;
    }
    const planProviders = ((planned.provider?.aws ?? []) as Json[]).map((block) => ({
      name: block.alias ? `aws.${block.alias}` : 'aws',
      roles: [block.assume_role ?? []].flat().map((r: Json) => r.role_arn as string),
    }));
    for (const assumption of context.inventory.assumptions.filter((a) => a.stack === stack)) {
      // Plans swap in read-only roles: each provider's plan role, and the read-only state role for
      // the backend and remote-state reads (tools/plan/plan-config.ts readOnlyConfig).
      const planRolesOf =
        assumption.kind === 'provider'
          ? planProviders.find((p) => `${stack}:provider.${p.name}` === assumption.id)?.roles ?? []
          : [planRoles.get(assumption.roleArn) ?? assumption.roleArn];
      contracts.push({
        id: `ci-apply-${env} assumes ${assumption.roleArn} for ${assumption.id}`,
        request: { principal: role(ciRole(context, 'apply', env)), action: 'sts:AssumeRole', resource: assumption.roleArn },
        expect: 'Allow',
        why: `applies of ${stack} run as ${ciRoleName('apply', env)}, and Terraform assumes this role at ${assumption.id} (${DOCS.assumeRole})`,
        exercises: assumption.id,
      });
      for (const planRole of planRolesOf) {
        contracts.push({
          id: `ci-plan-${env} assumes ${planRole} for ${assumption.id}`,
          request: { principal: role(ciRole(context, 'plan', env)), action: 'sts:AssumeRole', resource: planRole },
          expect: 'Allow',
          why: `pull-request plans of ${stack} run as ${ciRoleName('plan', env)} with the read-only role swapped in by tools/plan (plan --read-only); Terraform assumes it at ${assumption.id}`,
          exercises: `${assumption.id} (plan)`,
          ...(swapFailure && assumption.kind === 'provider' ? { broken: swapFailure } : {}),
        });
      }
    }
  }
  return dedupe(contracts);
};

/** No CI role reaches a deploy or plan role its environment's stacks do not use; plan roles never reach deploy roles. */
const ciStaysInItsLane: Family = (context) => {
  const contracts: AccessContract[] = [];
  const vended = [...context.inventory.roles.values()].filter((r) => r.vended);
  for (const env of context.synthesized.platform.environments) {
    const used = new Set(context.inventory.assumptions.filter((a) => envOfStack(context, a.stack) === env.name).map((a) => a.roleArn));
    const planUsed = new Set([...used].map((arn) => deployRoleToPlanRole(context.synthesized.platform).get(arn) ?? arn));
    for (const target of vended) {
      if (target.vended === 'deploy') {
        contracts.push({
          id: `ci-plan-${env.name} cannot assume ${target.arn}`,
          request: { principal: role(ciRole(context, 'plan', env.name)), action: 'sts:AssumeRole', resource: target.arn },
          expect: 'Deny',
          why: 'pull-request plans run code from any branch: their role must never reach a role that can change resources',
        });
      }
      const usedByEnv = target.vended === 'deploy' ? used : planUsed;
      if (usedByEnv.has(target.arn)) continue;
      const kind = target.vended === 'deploy' ? 'apply' : 'plan';
      contracts.push({
        id: `ci-${kind}-${env.name} cannot assume ${target.arn}`,
        request: { principal: role(ciRole(context, kind, env.name)), action: 'sts:AssumeRole', resource: target.arn },
        expect: 'Deny',
        why: `no stack of ${env.name} uses this role, so its CI must not reach it (for prod: a nonprod pipeline must never deploy to prod)`,
      });
    }
  }
  return contracts;
};

/** GitHub OIDC: plan roles for pull requests and the protected branch, apply roles only from the environment's GitHub environment, this repository only. */
const githubOidc: Family = (context) => {
  const contracts: AccessContract[] = [];
  const { repository, protectedBranch } = context.synthesized.platform.organization.github;
  const provider = [...context.inventory.oidcProviders.entries()].find(([, host]) => host === GITHUB_OIDC_HOST)?.[0];
  if (!provider) throw new Error(`no aws_iam_openid_connect_provider for ${GITHUB_OIDC_HOST} is synthesized`);
  const token = (sub: string, aud: string = GITHUB_OIDC_AUDIENCE) => ({ [`${GITHUB_OIDC_HOST}:aud`]: aud, [`${GITHUB_OIDC_HOST}:sub`]: sub });
  const envs = context.synthesized.platform.environments.map((env) => env.name);
  for (const env of envs) {
    const other = envs.find((name) => name !== env)!;
    const cases: [kind: 'plan' | 'apply', sub: string, expect: Decision, why: string, aud?: string][] = [
      ['plan', `repo:${repository}:pull_request`, 'Allow', 'pull requests plan with the read-only role'],
      ['plan', `repo:${repository}:ref:refs/heads/${protectedBranch}`, 'Allow', 'the drift schedule plans from the protected branch'],
      ['plan', `repo:someone-else/${repository.split('/')[1]}:pull_request`, 'Deny', 'another repository (a fork, a look-alike) must not reach the platform'],
      ['plan', `repo:${repository}:pull_request`, 'Deny', 'a token minted for another audience is not for AWS', 'https://example.com'],
      ['apply', `repo:${repository}:environment:${env}`, 'Allow', `applies run in the ${env} GitHub environment, whose protection rules gate them`],
      ['apply', `repo:${repository}:pull_request`, 'Deny', 'a pull request runs unreviewed code: it may never apply'],
      ['apply', `repo:${repository}:ref:refs/heads/${protectedBranch}`, 'Deny', 'applies go through the GitHub environment and its protection rules, not any job on main'],
      ['apply', `repo:${repository}:environment:${other}`, 'Deny', `the ${other} environment's approvals do not cover ${env}`],
      ['apply', `repo:someone-else/${repository.split('/')[1]}:environment:${env}`, 'Deny', 'another repository must not reach the platform'],
    ];
    for (const [kind, sub, expect, why, aud] of cases) {
      contracts.push({
        id: `GitHub OIDC ${sub}${aud ? ` (aud ${aud})` : ''} ${expect === 'Allow' ? 'assumes' : 'cannot assume'} ci-${kind}-${env}`,
        request: { principal: { webIdentity: provider }, action: 'sts:AssumeRoleWithWebIdentity', resource: ciRole(context, kind, env), context: token(sub, aud) },
        expect,
        why: `${why} (${DOCS.githubOidc})`,
      });
    }
  }
  return contracts;
};

/** Terraform state: the state role reads and writes each stack's state and lock file, with the state key; nothing without TLS. */
const terraformState: Family = (context) => {
  const contracts: AccessContract[] = [];
  for (const stack of context.synthesized.stackNames) {
    const backend = context.synthesized.stacks[stack].terraform?.backend?.s3;
    if (!backend) continue;
    const stateRole = backend.assume_role?.role_arn as string;
    const state = s3Object(backend.bucket, backend.key);
    const lock = `${state}.tflock`;
    const access: [string, string][] = [
      ['s3:ListBucket', `arn:aws:s3:::${backend.bucket}`],
      ['s3:GetObject', state],
      ['s3:PutObject', state],
      ['s3:GetObject', lock],
      ['s3:PutObject', lock],
      ['s3:DeleteObject', lock],
    ];
    for (const [action, resource] of access) {
      contracts.push({
        id: `${stack} state role ${action} ${resource}`,
        request: { principal: role(stateRole), action, resource },
        expect: 'Allow',
        why: `the S3 backend of ${stack} (use_lockfile) needs ${action} (${DOCS.s3Backend})`,
      });
    }
    contracts.push({
      id: `${stack} state without TLS is denied`,
      request: { principal: role(stateRole), action: 's3:GetObject', resource: state, context: { 'aws:SecureTransport': 'false' } },
      expect: 'Deny',
      why: `state holds secrets and resource ids: no request without TLS (${DOCS.tls})`,
    });
    const keyId = backend.kms_key_id as string | undefined;
    const stateKey = bucketKey(context, backend.bucket);
    const key = keyId ? keyArn(context, stack, 'terraform.backend.s3.kms_key_id', keyId) : stateKey;
    if (!key) throw new Error(`${stack}: the state bucket ${backend.bucket} has no KMS key and the backend names none`);
    for (const action of ['kms:GenerateDataKey', 'kms:Decrypt']) {
      const broken = !keyId
        ? 'the backend has encrypt = true without kms_key_id, so state is stored SSE-S3 and the state key is unused (issue 16 defect 9)'
        : stateKey && key !== stateKey
          ? `kms_key_id is ${key}, not the state bucket's key ${stateKey}`
          : undefined;
      contracts.push({
        id: `${stack} state role ${action} on the backend's kms_key_id`,
        request: { principal: role(stateRole), action, resource: key },
        expect: 'Allow',
        why: `the S3 backend encrypts state with kms_key_id, the state bucket's key (${DOCS.s3Backend})`,
        ...(broken ? { broken } : {}),
      });
    }
  }
  return contracts;
};

/**
 * Terraform state, least privilege (stacks/state-access.ts): pull-request plans run unmerged code,
 * so the plan roles reach only the read-only state role, which writes no object (no state, no
 * lock: `plan --read-only` takes none); an apply role reaches only its own environment's write
 * role, which writes only under `<env>/`; and the bucket policy refuses every other writer even
 * when an identity policy would allow it (an `externalRole` request: its identity grant is
 * assumed, so only the bucket policy decides). Nothing without TLS.
 */
const stateLeastPrivilege: Family = (context) => {
  const contracts: AccessContract[] = [];
  const platform = context.synthesized.platform;
  const state = platform.organization.state;
  const envs = platform.environments.map((env) => env.name);
  const read = stateReadRoleArn(state);
  const write = (env: string) => stateWriteRoleArn(state, env);
  const object = (key: string) => s3Object(state.bucket, key);
  const stateKeyArn = bucketKey(context, state.bucket);
  if (!stateKeyArn) throw new Error(`the state bucket ${state.bucket} has no KMS key`);
  const keysOf = (env: string) =>
    context.synthesized.stackNames
      .map((stack) => context.synthesized.stacks[stack].terraform?.backend?.s3?.key as string | undefined)
      .filter((key): key is string => !!key && key.startsWith(stateKeyPrefix(env)));
  const hypotheticalGrant = 'a hypothetical identity policy allowing it (only the bucket policy decides)';
  const admin = roleArn(platform.organization.accounts.tooling.accountId, 'platform-admin-breakglass');
  const allKeys = envs.flatMap(keysOf);
  for (const env of envs) {
    for (const target of envs) {
      contracts.push({
        id: `ci-plan-${env} cannot assume the state write role of ${target}`,
        request: { principal: role(ciRole(context, 'plan', env)), action: 'sts:AssumeRole', resource: write(target) },
        expect: 'Deny',
        why: 'pull-request plans run unmerged code: they read state with the read-only role and never get one that writes',
      });
      if (target !== env) {
        contracts.push({
          id: `ci-apply-${env} cannot assume the state write role of ${target}`,
          request: { principal: role(ciRole(context, 'apply', env)), action: 'sts:AssumeRole', resource: write(target) },
          expect: 'Deny',
          why: `the apply of ${env} writes only its own state`,
        });
      }
    }
    for (const key of allKeys) {
      if (key.startsWith(stateKeyPrefix(env))) continue;
      for (const [action, resource] of [['s3:PutObject', object(key)], ['s3:DeleteObject', object(key)], ['s3:PutObject', object(`${key}.tflock`)]] as const) {
        contracts.push({
          id: `state write role of ${env} cannot ${action} ${resource}`,
          request: { principal: role(write(env)), action, resource },
          expect: 'Deny',
          why: `${env}'s backends write only under ${stateKeyPrefix(env)}`,
        });
      }
      contracts.push({
        id: `state write role of ${env} given s3:PutObject still cannot write ${key}`,
        request: { principal: { externalRole: write(env), grantedBy: hypotheticalGrant }, action: 's3:PutObject', resource: object(key) },
        expect: 'Deny',
        why: `the bucket policy lets only the write role of the key's environment write under its prefix`,
      });
    }
    for (const key of [`${env}x/network.tfstate`, 'other.tfstate']) {
      contracts.push({
        id: `state write role of ${env} cannot s3:PutObject ${key} outside ${stateKeyPrefix(env)}`,
        request: { principal: role(write(env)), action: 's3:PutObject', resource: object(key) },
        expect: 'Deny',
        why: 'a prefix is matched with its slash: dev/ never covers devx/',
      });
    }
    contracts.push({
      id: `ci-apply-${env} given s3:PutObject cannot write state directly`,
      request: { principal: { externalRole: ciRole(context, 'apply', env), grantedBy: hypotheticalGrant }, action: 's3:PutObject', resource: object(keysOf(env)[0] ?? `${env}/network.tfstate`) },
      expect: 'Deny',
      why: 'only the state write roles write state objects',
    });
    contracts.push({
      id: `state write role of ${env} writes without TLS is denied`,
      request: { principal: role(write(env)), action: 's3:PutObject', resource: object(`${env}/network.tfstate`), context: { 'aws:SecureTransport': 'false' } },
      expect: 'Deny',
      why: `state holds secrets and resource ids: no request without TLS (${DOCS.tls})`,
    });
  }
  for (const key of allKeys) {
    contracts.push({
      id: `state read role reads ${key}`,
      request: { principal: role(read), action: 's3:GetObject', resource: object(key) },
      expect: 'Allow',
      why: `remote-state reads and pull-request plans read state with the read-only role (${DOCS.s3Backend})`,
    });
    for (const [action, resource] of [['s3:PutObject', object(key)], ['s3:DeleteObject', object(key)], ['s3:PutObject', object(`${key}.tflock`)], ['s3:DeleteObject', object(`${key}.tflock`)]] as const) {
      contracts.push({
        id: `state read role cannot ${action} ${resource}`,
        request: { principal: role(read), action, resource },
        expect: 'Deny',
        why: 'the read-only state role writes no state and no lock object (plans take no lock)',
      });
    }
  }
  contracts.push(
    {
      id: 'state read role lists the state bucket',
      request: { principal: role(read), action: 's3:ListBucket', resource: `arn:aws:s3:::${state.bucket}` },
      expect: 'Allow',
      why: `the S3 backend lists workspaces on init (${DOCS.s3Backend})`,
    },
    {
      id: 'state read role decrypts state with the state key',
      request: { principal: role(read), action: 'kms:Decrypt', resource: stateKeyArn },
      expect: 'Allow',
      why: 'state objects are encrypted with the state bucket key',
    },
    {
      id: 'state read role cannot encrypt with the state key',
      request: { principal: role(read), action: 'kms:GenerateDataKey', resource: stateKeyArn },
      expect: 'Deny',
      why: 'it writes nothing, so it encrypts nothing',
    },
    {
      id: 'state read role given s3:PutObject still cannot write state',
      request: { principal: { externalRole: read, grantedBy: hypotheticalGrant }, action: 's3:PutObject', resource: object(allKeys[0]) },
      expect: 'Deny',
      why: 'only the state write roles write state objects, whatever an identity policy says',
    },
    {
      id: 'state read role without TLS is denied',
      request: { principal: role(read), action: 's3:GetObject', resource: object(allKeys[0]), context: { 'aws:SecureTransport': 'false' } },
      expect: 'Deny',
      why: `no request without TLS (${DOCS.tls})`,
    },
    {
      id: 'platform administrators (break glass) may repair any state',
      request: { principal: { externalRole: admin, grantedBy: 'the administrators\' own identity policy' }, action: 's3:PutObject', resource: object(allKeys[allKeys.length - 1]) },
      expect: 'Allow',
      why: 'a platform-admin* role is the one writer the bucket policy exempts besides the write roles (README, "Accounts and roles")',
    },
  );
  return contracts;
};

/** CloudTrail: bucket ACL check and writes under the exact key, the key policy for SSE-KMS, and the CloudWatch Logs role. */
const cloudTrail: Family = (context) => {
  const contracts: AccessContract[] = [];
  for (const { stack, address, body } of resources(context, 'aws_cloudtrail')) {
    const { accountId, region } = context.synthesized.placement(stack, address);
    const trail = context.synthesized.resolveString(stack, address, `\${${address}.arn}`);
    const source = { 'aws:SourceAccount': accountId, 'aws:SourceArn': trail };
    const bucket = context.synthesized.resolveString(stack, address, body.s3_bucket_name);
    const name = `trail ${trail}`;
    // Key layout: <prefix>/AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/<account>_CloudTrail_<region>_<stamp>_<unique>.json.gz (DOCS.cloudTrailLogFiles)
    const key = withPrefix(body.s3_key_prefix, `AWSLogs/${accountId}/CloudTrail/${region}/${DAY.year}/${DAY.month}/${DAY.day}/${accountId}_CloudTrail_${region}_${STAMP}_abcdEFGH1234.json.gz`);
    contracts.push(
      {
        id: `${name} checks the ACL of ${bucket}`,
        request: { principal: service('cloudtrail.amazonaws.com'), action: 's3:GetBucketAcl', resource: `arn:aws:s3:::${bucket}`, context: source },
        expect: 'Allow',
        why: `CloudTrail checks the bucket ACL before delivering (${DOCS.cloudTrailBucket})`,
      },
      {
        id: `${name} writes ${key}`,
        request: { principal: service('cloudtrail.amazonaws.com'), action: 's3:PutObject', resource: s3Object(bucket, key), context: { ...source, ...OWNER_FULL_CONTROL } },
        expect: 'Allow',
        why: `CloudTrail writes log files under AWSLogs/<account>/CloudTrail/ with bucket-owner-full-control (${DOCS.cloudTrailBucket}, ${DOCS.cloudTrailLogFiles})`,
      },
      {
        id: `${name}: another account's trail cannot write ${key}`,
        request: {
          principal: service('cloudtrail.amazonaws.com'),
          action: 's3:PutObject',
          resource: s3Object(bucket, key),
          context: { 'aws:SourceAccount': '999999999999', 'aws:SourceArn': `arn:aws:cloudtrail:${region}:999999999999:trail/x`, ...OWNER_FULL_CONTROL },
        },
        expect: 'Deny',
        why: `aws:SourceAccount keeps CloudTrail from writing for another account into the archive (${DOCS.confusedDeputy})`,
      },
    );
    if (body.kms_key_id) {
      const kms = keyArn(context, stack, `${address}.kms_key_id`, body.kms_key_id);
      contracts.push(
        {
          id: `${name} encrypts with ${kms}`,
          request: {
            principal: service('cloudtrail.amazonaws.com'),
            action: 'kms:GenerateDataKey',
            resource: kms,
            context: { ...source, 'kms:EncryptionContext:aws:cloudtrail:arn': trail },
          },
          expect: 'Allow',
          why: `SSE-KMS trails need GenerateDataKey* with the trail ARN as encryption context (${DOCS.cloudTrailKey})`,
        },
        {
          id: `${name} describes ${kms}`,
          request: { principal: service('cloudtrail.amazonaws.com'), action: 'kms:DescribeKey', resource: kms, context: source },
          expect: 'Allow',
          why: `CloudTrail describes the key when the trail is created or updated (${DOCS.cloudTrailKey})`,
        },
      );
    }
    if (body.cloud_watch_logs_role_arn) {
      const logsRole = context.synthesized.resolveString(stack, address, body.cloud_watch_logs_role_arn);
      const group = context.synthesized.resolveString(stack, address, body.cloud_watch_logs_group_arn).replace(/:\*$/, '');
      contracts.push(
        {
          id: `${name} assumes ${logsRole}`,
          request: { principal: service('cloudtrail.amazonaws.com'), action: 'sts:AssumeRole', resource: logsRole, context: source },
          expect: 'Allow',
          why: `CloudTrail delivers to CloudWatch Logs as this role (${DOCS.cloudTrailLogs})`,
        },
        {
          id: `${name}: another account's CloudTrail cannot assume ${logsRole}`,
          request: { principal: service('cloudtrail.amazonaws.com'), action: 'sts:AssumeRole', resource: logsRole, context: { 'aws:SourceAccount': '999999999999' } },
          expect: 'Deny',
          why: `aws:SourceAccount in the trust policy (${DOCS.confusedDeputy})`,
        },
        ...['logs:CreateLogStream', 'logs:PutLogEvents'].map((action) => ({
          id: `${logsRole} ${action} on ${group}`,
          request: { principal: role(logsRole), action, resource: `${group}:log-stream:${accountId}_CloudTrail_${region}` },
          expect: 'Allow' as const,
          why: `CloudTrail creates a stream <account>_CloudTrail_<region> and puts events (${DOCS.cloudTrailLogs})`,
        })),
      );
    }
  }
  return contracts;
};

/** ALB access logs: the ELB account of the Region (or the log-delivery service principal) writes `<prefix>/AWSLogs/<account>/elasticloadbalancing/...`. */
const albAccessLogs: Family = (context) => {
  const contracts: AccessContract[] = [];
  for (const { stack, address, body } of resources(context, 'aws_lb')) {
    const logs = [body.access_logs ?? []].flat()[0];
    if (!logs?.enabled) continue;
    const { accountId, region } = context.synthesized.placement(stack, address);
    const bucket = context.synthesized.resolveString(stack, address, logs.bucket);
    const name = context.synthesized.resolveString(stack, address, body.name);
    const key = withPrefix(logs.prefix, `AWSLogs/${accountId}/elasticloadbalancing/${region}/${DAY.year}/${DAY.month}/${DAY.day}/${accountId}_elasticloadbalancing_${region}_app.${name}.50dc6c495c0c9188_${STAMP}_10.0.0.1_2d3f4g5h.log.gz`);
    const elbAccount = ELB_LOG_DELIVERY_ACCOUNTS[region];
    const bucketRegion = bucketPlacement(context, bucket)?.region;
    const principal = elbAccount ? { awsOwnedAccount: elbAccount } : service('logdelivery.elasticloadbalancing.amazonaws.com');
    contracts.push({
      id: `${stack}:${address} access logs write ${key}`,
      request: { principal, action: 's3:PutObject', resource: s3Object(bucket, key) },
      expect: 'Allow',
      why: `ELB writes access logs as ${elbAccount ? `the ELB account ${elbAccount} of ${region}` : 'the log-delivery service principal'} under <prefix>/AWSLogs/<account>/elasticloadbalancing/ (${DOCS.albLogs})`,
      ...(bucketRegion !== region ? { broken: `the bucket is in ${bucketRegion ?? 'no synthesized Region'}, the load balancer in ${region}: ELB writes only to a bucket of its own Region (${DOCS.albLogs})` } : {}),
    });
  }
  return contracts;
};

/** VPC and Transit Gateway flow logs to S3: the exact key (hive-compatible or not), the bucket checks, and the bucket's KMS key. */
const flowLogs: Family = (context) => {
  const contracts: AccessContract[] = [];
  for (const { stack, address, body } of resources(context, 'aws_flow_log')) {
    if (body.log_destination_type !== 's3') continue;
    const { accountId, region } = context.synthesized.placement(stack, address);
    const { bucket, prefix } = bucketAndPrefix(context.synthesized.resolveString(stack, address, body.log_destination));
    const options = [body.destination_options ?? []].flat()[0] ?? {};
    const serviceName = body.transit_gateway_id || body.transit_gateway_attachment_id ? 'transitgatewayflowlogs' : 'vpcflowlogs';
    const extension = options.file_format === 'parquet' ? 'log.parquet' : 'log.gz';
    const file = `${accountId}_${serviceName}_${region}_fl-1234abcd_${STAMP}_hash.${extension}`;
    // DOCS.flowLogsS3: hive-compatible partitions prefix each folder with its name.
    const path = options.hive_compatible_partitions
      ? `AWSLogs/aws-account-id=${accountId}/aws-service=${serviceName}/aws-region=${region}/year=${DAY.year}/month=${DAY.month}/day=${DAY.day}/${options.per_hour_partition ? `hour=${DAY.hour}/` : ''}${file}`
      : `AWSLogs/${accountId}/${serviceName}/${region}/${DAY.year}/${DAY.month}/${DAY.day}/${options.per_hour_partition ? `${DAY.hour}/` : ''}${file}`;
    const key = withPrefix(prefix, path);
    const source = { 'aws:SourceAccount': accountId, 'aws:SourceArn': `arn:aws:logs:${region}:${accountId}:*` };
    const deliver = service('delivery.logs.amazonaws.com');
    contracts.push(
      {
        id: `${stack}:${address} writes ${key}`,
        request: { principal: deliver, action: 's3:PutObject', resource: s3Object(bucket, key), context: { ...source, ...OWNER_FULL_CONTROL } },
        expect: 'Allow',
        why: `flow logs land under the exact key AWS builds from the destination options (${DOCS.flowLogsS3}, ${DOCS.flowLogsS3Permissions})`,
      },
      ...['s3:GetBucketAcl', 's3:ListBucket'].map((action) => ({
        id: `${stack}:${address} ${action} on ${bucket}`,
        request: { principal: deliver, action, resource: `arn:aws:s3:::${bucket}`, context: source },
        expect: 'Allow' as const,
        why: `log delivery checks the bucket before writing (${DOCS.flowLogsS3Permissions})`,
      })),
    );
    const kms = bucketKey(context, bucket);
    if (kms) {
      contracts.push({
        id: `${stack}:${address} encrypts with ${kms}`,
        request: { principal: deliver, action: 'kms:GenerateDataKey', resource: kms, context: source },
        expect: 'Allow',
        why: `the bucket uses SSE-KMS, so log delivery needs the key (${DOCS.flowLogsS3Permissions})`,
      });
    }
  }
  return contracts;
};

/** AWS Config delivery channels: the bucket checks, the snapshot and history objects under `<prefix>/AWSLogs/<account>/Config/`, and the key. */
const configDelivery: Family = (context) => {
  const contracts: AccessContract[] = [];
  for (const { stack, address, body } of resources(context, 'aws_config_delivery_channel')) {
    const { accountId, region } = context.synthesized.placement(stack, address);
    const bucket = context.synthesized.resolveString(stack, address, body.s3_bucket_name);
    const source = { 'aws:SourceAccount': accountId };
    const config = service('config.amazonaws.com');
    const key = withPrefix(body.s3_key_prefix, `AWSLogs/${accountId}/Config/${region}/${DAY.year}/${Number(DAY.month)}/${Number(DAY.day)}/ConfigHistory/${accountId}_Config_${region}_ConfigHistory_AWS::EC2::VPC_${STAMP}_${STAMP}_1.json.gz`);
    contracts.push(
      ...['s3:GetBucketAcl', 's3:ListBucket'].map((action) => ({
        id: `${stack}:${address} ${action} on ${bucket}`,
        request: { principal: config, action, resource: `arn:aws:s3:::${bucket}`, context: source },
        expect: 'Allow' as const,
        why: `AWS Config checks the bucket before delivering (${DOCS.configBucket})`,
      })),
      {
        id: `${stack}:${address} writes ${key}`,
        request: { principal: config, action: 's3:PutObject', resource: s3Object(bucket, key), context: { ...source, ...OWNER_FULL_CONTROL } },
        expect: 'Allow',
        why: `AWS Config delivers history and snapshots under <prefix>/AWSLogs/<account>/Config/ with bucket-owner-full-control (${DOCS.configBucket})`,
      },
    );
    const kms = body.s3_kms_key_arn ? keyArn(context, stack, `${address}.s3_kms_key_arn`, body.s3_kms_key_arn) : bucketKey(context, bucket);
    if (kms) {
      contracts.push({
        id: `${stack}:${address} encrypts with ${kms}`,
        request: { principal: config, action: 'kms:GenerateDataKey', resource: kms, context: source },
        expect: 'Allow',
        why: `the delivery is encrypted with a customer key: AWS Config needs it (${DOCS.configKey})`,
      });
    }
  }
  return contracts;
};

/** WAF logs: to an S3 bucket (`aws-waf-logs-*`) or log group of the web ACL's own account. */
const wafLogs: Family = (context) => {
  const contracts: AccessContract[] = [];
  for (const { stack, address, body } of resources(context, 'aws_wafv2_web_acl_logging_configuration')) {
    const { accountId, region } = context.synthesized.placement(stack, address);
    const acl = context.synthesized.resolveString(stack, address, body.resource_arn);
    const aclName = acl.split('/')[2];
    const source = { 'aws:SourceAccount': accountId, 'aws:SourceArn': `arn:aws:logs:${region}:${accountId}:*` };
    for (const destination of [body.log_destination_configs ?? []].flat() as string[]) {
      const arn = context.synthesized.resolveString(stack, address, destination);
      if (arn.startsWith('arn:aws:s3:::')) {
        const { bucket, prefix } = bucketAndPrefix(arn);
        const key = withPrefix(prefix, `AWSLogs/${accountId}/WAFLogs/${region}/${aclName}/${DAY.year}/${DAY.month}/${DAY.day}/${DAY.hour}/05/${accountId}_waflogs_${region}_${aclName}_${STAMP}_hash.log.gz`);
        const owner = context.inventory.ownerAccount(arn);
        const problems = [
          owner !== accountId ? `the bucket is in account ${owner ?? 'unknown'}, the web ACL in ${accountId}: AWS WAF logs only to a bucket of the web ACL's own account` : undefined,
          !bucket.startsWith(WAF_LOG_PREFIX) ? `the bucket name does not start with ${WAF_LOG_PREFIX}` : undefined,
        ].filter(Boolean);
        contracts.push({
          id: `${stack}:${address} writes ${key}`,
          request: { principal: service('delivery.logs.amazonaws.com'), action: 's3:PutObject', resource: s3Object(bucket, key), context: { ...source, ...OWNER_FULL_CONTROL } },
          expect: 'Allow',
          why: `WAF delivers to S3 through log delivery under AWSLogs/<account>/WAFLogs/<region>/<web-acl>/ (${DOCS.wafS3})`,
          ...(problems.length > 0 ? { broken: `${problems.join('; ')} (${DOCS.wafS3})` } : {}),
        });
      } else if (arn.startsWith('arn:aws:logs:')) {
        const group = arn.replace(/:\*$/, '');
        contracts.push({
          id: `${stack}:${address} writes to ${group}`,
          request: { principal: service('delivery.logs.amazonaws.com'), action: 'logs:PutLogEvents', resource: `${group}:log-stream:${region}_${aclName}_0`, context: source },
          expect: 'Allow',
          why: `WAF delivers to CloudWatch Logs through log delivery, allowed by the account's log resource policy (${DOCS.wafLogs})`,
          ...(accountOf(group) !== accountId || !group.split(':log-group:')[1]?.startsWith(WAF_LOG_PREFIX)
            ? { broken: `the log group must be in the web ACL's account ${accountId} and named ${WAF_LOG_PREFIX}* (${DOCS.wafLogs})` }
            : {}),
        });
      } else {
        throw new Error(`${stack}:${address}: destination ${arn} is neither S3 nor CloudWatch Logs; add a contract for it`);
      }
    }
  }
  return contracts;
};

/** Every reader a secret's policy names reads it end to end (identity, secret policy, key policy); other accounts' roles do not. */
const secretReaders: Family = (context) => {
  const contracts: AccessContract[] = [];
  const secrets = resources(context, 'aws_secretsmanager_secret');
  for (const { stack, address, body } of secrets) {
    const secret = context.synthesized.resolveString(stack, address, `\${${address}.arn}`);
    const { accountId } = context.synthesized.placement(stack, address);
    const policy = context.inventory.resourcePolicyFor(secret);
    const readers = new Set<string>();
    for (const statement of [policy?.document.Statement ?? []].flat() as Json[]) {
      const actions = [statement.Action].flat();
      if (statement.Effect !== 'Allow' || !actions.includes('secretsmanager:GetSecretValue')) continue;
      for (const arn of [statement.Condition?.ArnEquals?.['aws:PrincipalArn'] ?? statement.Condition?.ArnLike?.['aws:PrincipalArn'] ?? []].flat()) readers.add(arn);
    }
    const keys = secretKeys(context, stack, address, body);
    for (const reader of readers) {
      contracts.push({
        id: `${reader} reads ${secret}`,
        request: { principal: role(reader), action: 'secretsmanager:GetSecretValue', resource: secret },
        expect: 'Allow',
        why: `the secret's policy names ${reader} as a reader; its identity policy must grant the read too (always across accounts) (${DOCS.secretsCrossAccount})`,
      });
      for (const { region: keyRegion, kms } of keys) {
        contracts.push({
          id: `${reader} decrypts ${secret} in ${keyRegion} with ${kms}`,
          request: { principal: role(reader), action: 'kms:Decrypt', resource: kms, context: { 'kms:ViaService': `secretsmanager.${keyRegion}.amazonaws.com` } },
          expect: 'Allow',
          why: `Secrets Manager decrypts the value (or its replica) with the reader's permissions on the key (${DOCS.secretsKms})`,
        });
      }
    }
    const administrator = context.synthesized.providers(stack).find((p) => p.name === (body.provider ?? 'aws'))?.assumeRoleArns[0];
    for (const { region: keyRegion, kms } of administrator ? keys : []) {
      contracts.push({
        id: `${administrator} writes ${secret} in ${keyRegion} through Secrets Manager with ${kms}`,
        request: { principal: role(administrator!), action: 'kms:GenerateDataKey', resource: kms, context: { 'kms:ViaService': `secretsmanager.${keyRegion}.amazonaws.com` } },
        expect: 'Allow',
        why: `applies of ${stack} put the secret's value (write-only argument), which Secrets Manager encrypts and replicates with the administrator's permissions on each key (${DOCS.secretsKms})`,
      });
    }
    // Roles of other environments must not read: each other workload environment's task and execution roles, and its deploy role (administrator).
    for (const env of context.synthesized.platform.environments) {
      if (env.accountId === accountId) continue;
      const intruders = [
        ...resources(context, 'aws_iam_role')
          .filter((r) => envOfStack(context, r.stack) === env.name && /-(task|execution)$/.test(String(r.body.name)))
          .map((r) => context.synthesized.resolveString(r.stack, r.address, `\${${r.address}.arn}`)),
        env.deployRoleArn,
      ].filter((arn) => !readers.has(arn));
      for (const intruder of intruders) {
        contracts.push({
          id: `${intruder} cannot read ${secret}`,
          request: { principal: role(intruder), action: 'secretsmanager:GetSecretValue', resource: secret },
          expect: 'Deny',
          why: `a role of ${env.name} has no business with ${stack}'s secrets (dev role -> prod secret must fail even for an administrator)`,
        });
      }
    }
  }
  return contracts;
};

/** ECS execution roles read the secrets their task definitions inject and pull their images (repository policy, across accounts). */
const ecsTaskDefinitions: Family = (context) => {
  const contracts: AccessContract[] = [];
  for (const { stack, address, body } of resources(context, 'aws_ecs_task_definition')) {
    const execution = context.synthesized.resolveString(stack, address, body.execution_role_arn);
    const containers = context.synthesized.resolveDeep(stack, `${stack}:${address}.container_definitions`, readContainerDefinitions(body.container_definitions)) as Json[];
    for (const container of containers) {
      for (const secret of [container.secrets ?? []].flat() as Json[]) {
        // valueFrom may add `:json-key:version-stage:version-id` to the secret ARN (seven fields).
        const arn = String(secret.valueFrom).split(':').slice(0, 7).join(':');
        contracts.push({
          id: `${execution} reads ${arn} for ${stack}:${address}`,
          request: { principal: role(execution), action: 'secretsmanager:GetSecretValue', resource: arn },
          expect: 'Allow',
          why: `the ECS agent injects ${secret.name} with the task execution role (${DOCS.ecsSecrets})`,
        });
      }
      const image = /^(\d{12})\.dkr\.ecr\.([^.]+)\.amazonaws\.com\/([^:@]+)/.exec(String(container.image));
      if (!image) continue;
      const repository = `arn:aws:ecr:${image[2]}:${image[1]}:repository/${image[3]}`;
      for (const action of ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability']) {
        contracts.push({
          id: `${execution} ${action} on ${repository}`,
          request: { principal: role(execution), action, resource: repository },
          expect: 'Allow',
          why: `the task execution role pulls ${container.image}; across accounts both its identity policy and the repository policy must allow (${DOCS.ecsExecutionRole}, ${DOCS.ecrCrossAccount})`,
        });
      }
    }
  }
  return dedupe(contracts);
};

/**
 * Repositories: only the workload accounts pull. Pullers need no KMS permission on an encrypted
 * repository: ECR decrypts through the grants it creates on the key when the repository is
 * created, which the role that creates it must be allowed to create
 * (https://docs.aws.amazon.com/AmazonECR/latest/userguide/encryption-at-rest.html).
 */
const registry: Family = (context) => {
  const contracts: AccessContract[] = [];
  const workloads = new Set(context.synthesized.platform.environments.filter((env) => resources(context, 'aws_ecs_service').some((s) => envOfStack(context, s.stack) === env.name)).map((env) => env.accountId));
  for (const { stack, address, body } of resources(context, 'aws_ecr_repository')) {
    const repository = context.synthesized.resolveString(stack, address, `\${${address}.arn}`);
    const deployRole = context.synthesized.providers(stack).find((p) => p.name === (body.provider ?? 'aws'))?.assumeRoleArns[0];
    const kms = [body.encryption_configuration ?? []].flat()[0]?.kms_key;
    if (kms && deployRole) {
      const key = keyArn(context, stack, `${address}.encryption_configuration.kms_key`, kms);
      for (const action of ['kms:CreateGrant', 'kms:DescribeKey']) {
        contracts.push({
          id: `${deployRole} ${action} on ${key} for ${repository}`,
          request: { principal: role(deployRole), action, resource: key },
          expect: 'Allow',
          why: 'creating a KMS-encrypted repository makes ECR describe the key and create its grants with the caller\'s permissions (https://docs.aws.amazon.com/AmazonECR/latest/userguide/encryption-at-rest.html)',
        });
      }
    }
    for (const env of context.synthesized.platform.environments) {
      if (workloads.has(env.accountId)) continue;
      contracts.push({
        id: `${env.deployRoleArn} cannot pull from ${repository}`,
        request: { principal: role(env.deployRoleArn), action: 'ecr:BatchGetImage', resource: repository },
        expect: 'Deny',
        why: `${env.name} runs no service: the repository policy lets only the workload accounts pull (${DOCS.ecrCrossAccount})`,
      });
    }
  }
  return contracts;
};

/** No request without TLS reaches a bucket, a secret or a topic, even from an administrator. */
const tlsOnly: Family = (context) => {
  const contracts: AccessContract[] = [];
  const insecure = { 'aws:SecureTransport': 'false' };
  for (const policy of context.inventory.policies) {
    if (!policy.stack || !policy.address || !policy.resourceArn) continue;
    const administrator = context.synthesized.providers(policy.stack).find((p) => p.name === (context.synthesized.resource(policy.stack!, policy.address!).provider ?? 'aws'))?.assumeRoleArns[0];
    const request: Record<string, { action: string; resource: string } | undefined> = {
      's3-bucket': { action: 's3:GetObject', resource: `${policy.resourceArn}/any-object` },
      secret: { action: 'secretsmanager:DescribeSecret', resource: policy.resourceArn },
    };
    const target = request[policy.kind];
    if (!target || !administrator) continue;
    contracts.push(
      {
        id: `${administrator} with TLS may ${target.action} ${target.resource}`,
        request: { principal: role(administrator), ...target },
        expect: 'Allow',
        why: 'the control for the contract below: the same request over TLS is allowed, so the denial comes from TLS alone',
      },
      {
        id: `${administrator} without TLS cannot ${target.action} ${target.resource}`,
        request: { principal: role(administrator), ...target, context: insecure },
        expect: 'Deny',
        why: `the resource policy denies every request without TLS, an administrator's included (${DOCS.tls})`,
      },
    );
  }
  return contracts;
};

/** The Serverless Application Repository rotation function's role rotates its secret with the secrets key. */
const secretRotation: Family = (context) => {
  const contracts: AccessContract[] = [];
  for (const { stack, address, body } of resources(context, 'aws_secretsmanager_secret_rotation')) {
    const secret = context.synthesized.resolveString(stack, address, body.secret_id);
    const app = resources(context, 'aws_serverlessapplicationrepository_cloudformation_stack').find(
      (candidate) => candidate.stack === stack && String(body.rotation_lambda_arn).endsWith(`:function:${candidate.body.parameters?.functionName}`),
    );
    if (!app) throw new Error(`${stack}:${address}: no rotation application creates ${body.rotation_lambda_arn}`);
    const { accountId } = context.synthesized.placement(stack, address);
    // CloudFormation names the function's role <stack name>-<logical id>-<suffix>; SAR names the stack serverlessrepo-<name>.
    const rotator = `arn:aws:iam::${accountId}:role/serverlessrepo-${app.body.name}-SecretsManagerRotationRole-1A2B3C4D5E6F`;
    const secretResource = context.synthesized.referencedResource(stack, body.secret_id);
    if (!secretResource) throw new Error(`${stack}:${address}: secret_id is not a reference to a secret`);
    const keys = secretKeys(context, secretResource.stack, secretResource.address, context.synthesized.resource(secretResource.stack, secretResource.address));
    const principal = { externalRole: rotator, grantedBy: `the rotation application's template (${app.body.application_id})` } as const;
    for (const action of ['secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue', 'secretsmanager:DescribeSecret', 'secretsmanager:UpdateSecretVersionStage']) {
      contracts.push({
        id: `rotation of ${secret}: ${action}`,
        request: { principal, action, resource: secret },
        expect: 'Allow',
        why: `the rotation function needs ${action} on its secret (${DOCS.rotationPermissions})`,
      });
    }
    for (const { region: keyRegion, kms } of keys) {
      for (const action of ['kms:Decrypt', 'kms:GenerateDataKey']) {
        contracts.push({
          id: `rotation of ${secret}: ${action} in ${keyRegion} with ${kms}`,
          request: { principal, action, resource: kms, context: { 'kms:ViaService': `secretsmanager.${keyRegion}.amazonaws.com` } },
          expect: 'Allow',
          why: `the rotation function reads and writes the value through Secrets Manager, which encrypts it and its replicas with the caller's permissions on each key (${DOCS.rotationPermissions})`,
        });
      }
    }
  }
  return contracts;
};

/** The role that applies a stack keeps administering the keys and topics it created (no lock-out), and plans can read keys. */
const stackRolesAdminister: Family = (context) => {
  const contracts: AccessContract[] = [];
  const administration: Partial<Record<PolicyKind, string>> = { 'kms-key': 'kms:PutKeyPolicy', 'sns-topic': 'sns:SetTopicAttributes' };
  const planRoles = deployRoleToPlanRole(context.synthesized.platform);
  for (const policy of context.inventory.policies) {
    const action = administration[policy.kind];
    if (!action || !policy.resourceArn || !policy.stack || !policy.address) continue;
    const provider = context.synthesized.resource(policy.stack, policy.address).provider ?? 'aws';
    const deployRole = context.synthesized.providers(policy.stack).find((p) => p.name === provider)?.assumeRoleArns[0];
    if (!deployRole) continue;
    contracts.push({
      id: `${deployRole} ${action} on ${policy.resourceArn}`,
      request: { principal: role(deployRole), action, resource: policy.resourceArn },
      expect: 'Allow',
      why: `the role that applies ${policy.stack} must keep administering what it created, or the next apply is locked out (${DOCS.kmsKeyPolicyDefault})`,
    });
    const planRole = planRoles.get(deployRole);
    if (policy.kind === 'kms-key' && planRole) {
      contracts.push({
        id: `${planRole} reads the policy of ${policy.resourceArn}`,
        request: { principal: role(planRole), action: 'kms:GetKeyPolicy', resource: policy.resourceArn },
        expect: 'Allow',
        why: `plans of ${policy.stack} refresh the key, its policy included, with the read-only role (${DOCS.kmsKeyPolicyDefault})`,
      });
    }
  }
  return contracts;
};

/** Services that publish to alert topics (alarms, EventBridge rules, Backup) may, through the topic's key. */
const alertPublishers: Family = (context) => {
  const contracts: AccessContract[] = [];
  const publish = (principal: string, topic: string, source: Record<string, string>, origin: string, docs: string) => {
    contracts.push({
      id: `${principal} publishes to ${topic} for ${origin}`,
      request: { principal: service(principal), action: 'sns:Publish', resource: topic, context: source },
      expect: 'Allow',
      why: `${origin} notifies this topic (${docs})`,
    });
    const topicResource = resources(context, 'aws_sns_topic').find((t) => context.synthesized.resolveString(t.stack, t.address, `\${${t.address}.arn}`) === topic);
    const keyId = topicResource?.body.kms_master_key_id;
    if (topicResource && keyId) {
      const kms = keyArn(context, topicResource.stack, `${topicResource.address}.kms_master_key_id`, keyId);
      for (const action of ['kms:GenerateDataKey', 'kms:Decrypt']) {
        contracts.push({
          id: `${principal} ${action} with ${kms} for ${topic}`,
          request: { principal: service(principal), action, resource: kms, context: source },
          expect: 'Allow',
          why: `the topic is encrypted: a publishing service needs the key (${DOCS.snsKms})`,
        });
      }
    }
  };
  for (const { stack, address, body } of resources(context, 'aws_cloudwatch_metric_alarm')) {
    const { accountId, region } = context.synthesized.placement(stack, address);
    const alarm = `arn:aws:cloudwatch:${region}:${accountId}:alarm:${body.alarm_name}`;
    const topics = new Set([...[body.alarm_actions ?? []].flat(), ...[body.ok_actions ?? []].flat(), ...[body.insufficient_data_actions ?? []].flat()].map(String));
    for (const topic of topics) if (topic.startsWith('arn:aws:sns:')) publish('cloudwatch.amazonaws.com', context.synthesized.resolveString(stack, address, topic), { 'aws:SourceAccount': accountId, 'aws:SourceArn': alarm }, `alarm ${body.alarm_name}`, DOCS.snsAlarms);
  }
  for (const { stack, address, body } of resources(context, 'aws_cloudwatch_event_target')) {
    const topic = context.synthesized.resolveString(stack, address, body.arn);
    if (!topic.startsWith('arn:aws:sns:')) continue;
    const { accountId, region } = context.synthesized.placement(stack, address);
    const rule = `arn:aws:events:${region}:${accountId}:rule/${context.synthesized.resolveString(stack, address, body.rule)}`;
    publish('events.amazonaws.com', topic, { 'aws:SourceAccount': accountId, 'aws:SourceArn': rule }, `rule ${rule}`, DOCS.eventBridgeSns);
  }
  for (const { stack, address, body } of resources(context, 'aws_backup_vault_notifications')) {
    const { accountId, region } = context.synthesized.placement(stack, address);
    const vault = `arn:aws:backup:${region}:${accountId}:backup-vault:${context.synthesized.resolveString(stack, address, body.backup_vault_name)}`;
    publish('backup.amazonaws.com', context.synthesized.resolveString(stack, address, body.sns_topic_arn), { 'aws:SourceAccount': accountId, 'aws:SourceArn': vault }, `vault ${vault}`, DOCS.backupSns);
  }
  return dedupe(contracts);
};

/** Every alert topic accepts EventBridge rules and Backup vaults of its account, so a rule or vault added later needs no policy change. */
const alertTopicsAcceptAccountServices: Family = (context) => {
  const contracts: AccessContract[] = [];
  for (const { stack, address, body } of resources(context, 'aws_sns_topic')) {
    if (!ALERT_SEVERITIES.some((severity) => body.name === alertTopicName(envOfStack(context, stack), severity))) continue;
    const topic = context.synthesized.resolveString(stack, address, `\${${address}.arn}`);
    const { accountId, region } = context.synthesized.placement(stack, address);
    const kms = body.kms_master_key_id ? keyArn(context, stack, `${address}.kms_master_key_id`, body.kms_master_key_id) : undefined;
    const publishers: [string, string, string][] = [
      ['events.amazonaws.com', `arn:aws:events:${region}:${accountId}:rule/any-rule`, DOCS.eventBridgeSns],
      ['backup.amazonaws.com', `arn:aws:backup:${region}:${accountId}:backup-vault:any-vault`, DOCS.backupSns],
    ];
    for (const [principal, sourceArn, docs] of publishers) {
      const source = { 'aws:SourceAccount': accountId, 'aws:SourceArn': sourceArn };
      contracts.push(
        {
          id: `${principal} of ${accountId} publishes to alert topic ${topic}`,
          request: { principal: service(principal), action: 'sns:Publish', resource: topic, context: source },
          expect: 'Allow',
          why: `alert topics take notifications from any rule or vault of their account (${docs})`,
        },
        {
          id: `${principal} of another account cannot publish to alert topic ${topic}`,
          request: { principal: service(principal), action: 'sns:Publish', resource: topic, context: { 'aws:SourceAccount': '999999999999', 'aws:SourceArn': sourceArn.replace(accountId, '999999999999') } },
          expect: 'Deny',
          why: `aws:SourceAccount keeps other accounts' rules from paging us (${DOCS.confusedDeputy})`,
        },
        ...(kms
          ? ['kms:GenerateDataKey', 'kms:Decrypt'].map((action) => ({
              id: `${principal} of ${accountId} ${action} with ${kms} for alert topic ${topic}`,
              request: { principal: service(principal), action, resource: kms, context: source },
              expect: 'Allow' as const,
              why: `the topic is encrypted: a publishing service needs the key (${DOCS.snsKms})`,
            }))
          : []),
      );
    }
  }
  return contracts;
};

/** Log groups encrypted with a customer key: CloudWatch Logs of the Region uses it with the group as encryption context. */
const logGroupKeys: Family = (context) => {
  const contracts: AccessContract[] = [];
  for (const { stack, address, body } of resources(context, 'aws_cloudwatch_log_group')) {
    if (!body.kms_key_id) continue;
    const { accountId, region } = context.synthesized.placement(stack, address);
    const group = context.synthesized.resolveString(stack, address, `\${${address}.arn}`);
    const kms = keyArn(context, stack, `${address}.kms_key_id`, body.kms_key_id);
    for (const action of ['kms:GenerateDataKey', 'kms:Decrypt']) {
      contracts.push({
        id: `CloudWatch Logs ${action} with ${kms} for ${group}`,
        request: {
          principal: service(`logs.${region}.amazonaws.com`),
          action,
          resource: kms,
          context: { 'kms:EncryptionContext:aws:logs:arn': group, 'aws:SourceAccount': accountId },
        },
        expect: 'Allow',
        why: `CloudWatch Logs encrypts each group with its ARN as encryption context (${DOCS.logsKms})`,
      });
    }
  }
  return contracts;
};

/** Roles assumed by AWS services: the service of the role's own account may, another account's may not (confused deputy). */
const serviceRoleTrust: Family = (context) => {
  const contracts: AccessContract[] = [];
  const sourceArn: Record<string, (accountId: string, region: string) => string> = {
    'ecs-tasks.amazonaws.com': (a, r) => `arn:aws:ecs:${r}:${a}:task/cluster/0123456789abcdef`,
    'backup.amazonaws.com': (a, r) => `arn:aws:backup:${r}:${a}:backup-plan:plan`,
    'cloudtrail.amazonaws.com': (a, r) => `arn:aws:cloudtrail:${r}:${a}:trail/trail`,
    'config.amazonaws.com': (a, r) => `arn:aws:config:${r}:${a}:config-recorder/default`,
  };
  for (const [arn, record] of context.inventory.roles) {
    if (record.vended) continue;
    for (const statement of [record.trust.document.Statement ?? []].flat() as Json[]) {
      for (const principal of [statement.Principal?.Service ?? []].flat() as string[]) {
        const region = record.trust.region;
        const source = (account: string) => ({ 'aws:SourceAccount': account, ...(sourceArn[principal] ? { 'aws:SourceArn': sourceArn[principal](account, region) } : {}) });
        contracts.push(
          {
            id: `${principal} assumes ${arn}`,
            request: { principal: service(principal), action: 'sts:AssumeRole', resource: arn, context: source(record.accountId) },
            expect: 'Allow',
            why: `the service acts as this role (${DOCS.assumeRole})`,
          },
          {
            id: `${principal} of another account cannot assume ${arn}`,
            request: { principal: service(principal), action: 'sts:AssumeRole', resource: arn, context: source('999999999999') },
            expect: 'Deny',
            why: `aws:SourceAccount in the trust policy (${DOCS.confusedDeputy})`,
          },
        );
      }
    }
  }
  return contracts;
};

function readContainerDefinitions(text: string): unknown {
  // `container_definitions` is jsonencode([...]); the reader takes objects, so wrap it.
  const wrapped = text.trim().startsWith('[') ? `{"list": ${text}}` : text.replace(/^\$\{jsonencode\(/, '${jsonencode({"list" = ').replace(/\)\}$/, '})}');
  return readJsonDocument(wrapped).list;
}

/**
 * Accounts without alert topics (log-archive, tooling) forward GuardDuty findings to the
 * default bus of the account that alerts on them: the rule's role may put events there and the
 * bus policy admits that account; a role of another account may not (issue 24).
 */
const findingsForwarding: Family = (context) => {
  const contracts: AccessContract[] = [];
  for (const { stack, address, body } of resources(context, 'aws_cloudwatch_event_target')) {
    const bus = context.synthesized.resolveString(stack, address, body.arn);
    if (!bus.includes(':event-bus/')) continue;
    const forwarder = context.synthesized.resolveString(stack, address, body.role_arn);
    contracts.push({
      id: `${forwarder} forwards events to ${bus}`,
      request: { principal: role(forwarder), action: 'events:PutEvents', resource: bus },
      expect: 'Allow',
      why: `delivery to another account's bus uses a role of the sending account, and the bus policy must admit that account (${DOCS.eventBridgeCrossAccount})`,
    });
  }
  for (const { stack, address } of resources(context, 'aws_cloudwatch_event_bus_policy')) {
    const { accountId, region } = context.synthesized.placement(stack, address);
    const bus = `arn:aws:events:${region}:${accountId}:event-bus/default`;
    for (const env of context.synthesized.platform.environments.filter((e) => e.accountId !== accountId)) {
      contracts.push({
        id: `${env.deployRoleArn} cannot put events on ${bus}`,
        request: { principal: role(env.deployRoleArn), action: 'events:PutEvents', resource: bus },
        expect: 'Deny',
        why: `only the accounts that forward findings may put events on the alerting account's bus (${DOCS.eventBridgeCrossAccount})`,
      });
    }
  }
  return contracts;
};

/**
 * A rotation of an injected secret rolls the service: EventBridge starts the runbook with its
 * role (which may pass the automation role to SSM only), and the automation role may update the
 * services of its cluster (issue 24).
 */
const rotationRollsServices: Family = (context) => {
  const contracts: AccessContract[] = [];
  for (const { stack, address, body } of resources(context, 'aws_cloudwatch_event_target')) {
    const runbook = context.synthesized.resolveString(stack, address, body.arn);
    if (!runbook.includes(':automation-definition/')) continue;
    const eventsRole = context.synthesized.resolveString(stack, address, body.role_arn);
    const document = resources(context, 'aws_ssm_document').find((d) => d.stack === stack && runbook.includes(`/${d.body.name}:`));
    if (!document) throw new Error(`${stack}:${address} starts ${runbook}, which no aws_ssm_document of the stack defines`);
    // Plain JSON or `${jsonencode(...)}` (terraformJson), each string's references resolved.
    const automationRole = context.synthesized.resolveString(stack, document.address, String(readJsonDocument(document.body.content).assumeRole));
    const rawInput = readJsonDocument(body.input) as { Cluster: string[]; Service: string[] };
    const input = { Cluster: rawInput.Cluster.map((value) => context.synthesized.resolveString(stack, address, value)), Service: rawInput.Service.map((value) => context.synthesized.resolveString(stack, address, value)) };
    const { accountId, region } = context.synthesized.placement(stack, address);
    const serviceArn = `arn:aws:ecs:${region}:${accountId}:service/${input.Cluster[0]}/${input.Service[0]}`;
    contracts.push(
      {
        id: `${eventsRole} starts ${runbook}`,
        request: { principal: role(eventsRole), action: 'ssm:StartAutomationExecution', resource: runbook },
        expect: 'Allow',
        why: `EventBridge starts the runbook with the target's role (${DOCS.eventBridgeAutomation})`,
      },
      {
        id: `${eventsRole} passes ${automationRole} to SSM`,
        request: { principal: role(eventsRole), action: 'iam:PassRole', resource: automationRole, context: { 'iam:PassedToService': 'ssm.amazonaws.com' } },
        expect: 'Allow',
        why: `the runbook runs as its assumeRole, which the caller must pass (${DOCS.eventBridgeAutomation})`,
      },
      {
        id: `${eventsRole} cannot pass ${automationRole} to another service`,
        request: { principal: role(eventsRole), action: 'iam:PassRole', resource: automationRole, context: { 'iam:PassedToService': 'lambda.amazonaws.com' } },
        expect: 'Deny',
        why: 'the role is for the runbook only',
      },
      {
        id: `${automationRole} forces a new deployment of ${serviceArn}`,
        request: { principal: role(automationRole), action: 'ecs:UpdateService', resource: serviceArn },
        expect: 'Allow',
        why: `the runbook calls ecs:UpdateService with forceNewDeployment (${DOCS.automationApi})`,
      },
    );
  }
  return contracts;
};

function dedupe(contracts: AccessContract[]): AccessContract[] {
  const seen = new Map<string, AccessContract>();
  for (const contract of contracts) if (!seen.has(contract.id)) seen.set(contract.id, contract);
  return [...seen.values()];
}

/** Every family by name, evaluated by access-contracts.test.ts. */
export const ACCESS_CONTRACTS: Readonly<Record<string, Family>> = {
  'CI roles assume the roles of their stacks': ciAssumesStackRoles,
  'CI roles reach nothing else': ciStaysInItsLane,
  'GitHub OIDC to CI roles': githubOidc,
  'Terraform state': terraformState,
  'Terraform state, least privilege': stateLeastPrivilege,
  'CloudTrail to the archive': cloudTrail,
  'ALB access logs': albAccessLogs,
  'flow logs to the archive': flowLogs,
  'WAF logs': wafLogs,
  'AWS Config delivery': configDelivery,
  'secret readers, across accounts': secretReaders,
  'ECS task definitions: secrets and images': ecsTaskDefinitions,
  'secret rotation': secretRotation,
  'container registry': registry,
  'TLS only': tlsOnly,
  'stack roles administer keys and topics': stackRolesAdminister,
  'alert publishers': alertPublishers,
  "alert topics accept their account's services": alertTopicsAcceptAccountServices,
  'log group keys': logGroupKeys,
  'service role trust': serviceRoleTrust,
  'GuardDuty findings forwarded to the alerting account': findingsForwarding,
  'a rotation rolls the services that inject the secret': rotationRollsServices,
};

/** All contracts of the synthesized platform by family; ids are unique. */
export function accessContracts(context: ContractContext): Record<string, AccessContract[]> {
  const byFamily = Object.fromEntries(Object.entries(ACCESS_CONTRACTS).map(([name, family]) => [name, family(context)]));
  const ids = new Set<string>();
  for (const contract of Object.values(byFamily).flat()) {
    if (ids.has(contract.id)) throw new Error(`two contracts share the id "${contract.id}"`);
    ids.add(contract.id);
  }
  return byFamily;
}

/**
 * Contracts known to fail until another change of issue 16 lands, by exact contract id pattern.
 * The test reports each as a known failure with its defect; one that starts passing fails the
 * test, so the entry is removed the moment the fix lands. Must be empty when issue 16 is done.
 */
export const PENDING_FIXES: readonly { readonly id: RegExp; readonly defect: string }[] = [];
