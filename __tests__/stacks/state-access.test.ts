/**
 * Access contracts of Terraform state: who can read, write and lock which state objects, proven
 * by a real IAM policy evaluator (@cloud-copilot/iam-simulate) over the synthesized bootstrap
 * stack: the CI roles' identity policies, the state roles' trust and identity policies, the state
 * bucket's policy and the state key's policy.
 *
 * The chain of a CI job: GitHub OIDC -> `ci-plan-<env>` / `ci-apply-<env>` -> (sts:AssumeRole) a
 * state role -> S3 and KMS. Each link is checked on its own (identity policy of the caller plus
 * the trust policy of the role, then identity policy of the state role plus the bucket or key
 * policy). S3 object keys: `<env>/<layer>.tfstate` and its lock `<env>/<layer>.tfstate.tflock`
 * (https://developer.hashicorp.com/terraform/language/backend/s3#s3-state-locking: "a lock file
 * named <key>.tflock next to the state file").
 *
 * Written against iam-simulate directly: the shared contract framework (__tests__/contracts/)
 * had not landed when this was written; the table `CONTRACTS` is its shape (principal, action,
 * resource, context, expected) so it can move there as is.
 */
import { Testing } from 'cdktf';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { BootstrapStack } from '../../stacks/bootstrap-stack';
import { stateReadRoleArn, stateWriteRoleArn } from '../../stacks/state-access';
import { shippedPlatform, synthJson, resourcesOf } from '../helpers/platform';
import { readJsonDocument } from '../helpers/json-document';

const platform = shippedPlatform();
const TOOLING = platform.organization.accounts.tooling.accountId;
const state = platform.organization.state;
const BUCKET_ARN = `arn:aws:s3:::${state.bucket}`;
/** The key id is computed by AWS; any id stands for it (the key policy grants by account, not by id). */
const STATE_KEY_ARN = `arn:aws:kms:${state.region}:${TOOLING}:key/00000000-0000-0000-0000-000000000000`;
const json = synthJson(new BootstrapStack(Testing.app(), { platform }));

const role = (name: string) => `arn:aws:iam::${TOOLING}:role/${name}`;
const READ = stateReadRoleArn(state);
const WRITE = (env: string) => stateWriteRoleArn(state, env);
const ADMIN = role('platform-admin-breakglass');

/** Replaces every `${type.name.attr}` of the bootstrap stack by its value; one it cannot resolve fails the test. */
function resolveRefs(value: unknown): any {
  if (typeof value === 'string') {
    return value.replace(/\$\{([a-z0-9_]+)\.([a-z0-9_]+)\.([a-z_]+)\}/g, (whole, type: string, name: string, attr: string) => {
      const resource = resourcesOf(json, type)[name];
      if (type === 'aws_s3_bucket' && attr === 'arn') return `arn:aws:s3:::${resource.bucket}`;
      if (type === 'aws_iam_role' && attr === 'arn') return role(resource.name);
      if (type === 'aws_kms_key' && attr === 'arn') return STATE_KEY_ARN;
      throw new Error(`cannot resolve ${whole} in the bootstrap stack`);
    });
  }
  if (Array.isArray(value)) return value.map(resolveRefs);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveRefs(v)]));
  return value;
}

const document = (text: string) => resolveRefs(readJsonDocument(text));
const roleByArn = (arn: string) => {
  const found = Object.entries<any>(resourcesOf(json, 'aws_iam_role')).find(([, r]) => role(r.name) === arn);
  if (!found) throw new Error(`no role ${arn} in the bootstrap stack`);
  return { address: found[0], resource: found[1] };
};
/** The inline policies of a role of the bootstrap stack. */
function identityPolicies(arn: string) {
  const { address } = roleByArn(arn);
  return Object.entries<any>(resourcesOf(json, 'aws_iam_role_policy'))
    .filter(([, p]) => p.role === `\${aws_iam_role.${address}.name}`)
    .map(([name, p]) => ({ name, policy: document(p.policy) }));
}
const bucketPolicy = document(Object.values<any>(resourcesOf(json, 'aws_s3_bucket_policy'))[0].policy);
const keyPolicy = document(Object.values<any>(resourcesOf(json, 'aws_kms_key'))[0].policy);

interface Contract {
  /** The role making the request (its session). */
  readonly principal: string;
  readonly action: string;
  /** Role ARN (sts:AssumeRole), `s3:<key>` (an object of the state bucket), `bucket` or `key`. */
  readonly resource: string;
  readonly expected: 'Allowed' | 'Denied';
  /** Extra identity policy of the principal (to prove a resource-side guard holds on its own). */
  readonly extraIdentity?: object;
  readonly secureTransport?: boolean;
  readonly why: string;
}

async function evaluate(contract: Contract): Promise<string> {
  const { principal, action, resource } = contract;
  let resourceArn: string;
  let resourcePolicy: object;
  if (resource.startsWith('arn:aws:iam::')) {
    resourceArn = resource;
    resourcePolicy = document(roleByArn(resource).resource.assume_role_policy);
  } else if (resource.startsWith('s3:')) {
    resourceArn = `${BUCKET_ARN}/${resource.slice(3)}`;
    resourcePolicy = bucketPolicy;
  } else if (resource === 'bucket') {
    resourceArn = BUCKET_ARN;
    resourcePolicy = bucketPolicy;
  } else {
    resourceArn = STATE_KEY_ARN;
    resourcePolicy = keyPolicy;
  }
  const own = principal === ADMIN ? [] : identityPolicies(principal);
  const extra = contract.extraIdentity ? [{ name: 'extra', policy: { Version: '2012-10-17', Statement: [contract.extraIdentity] } }] : [];
  const response = await runSimulation(
    {
      identityPolicies: [...own, ...extra],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy,
      request: {
        action,
        principal: principal.replace(':iam::', ':sts::').replace(':role/', ':assumed-role/') + '/ci-session',
        resource: { accountId: TOOLING, resource: resourceArn },
        contextVariables: { 'aws:PrincipalArn': principal, 'aws:SecureTransport': String(contract.secureTransport ?? true) },
      },
    } as any,
    {},
  );
  if (response.resultType === 'error') throw new Error(`simulation error: ${JSON.stringify(response.errors)}`);
  return response.overallResult === 'Allowed' ? 'Allowed' : 'Denied';
}

const s3All = { Effect: 'Allow', Action: 's3:*', Resource: '*' };

const CONTRACTS: Contract[] = [
  // Pull-request plans: read state, write nothing, take no lock.
  { principal: role('ci-plan-dev'), action: 'sts:AssumeRole', resource: READ, expected: 'Allowed', why: 'plan jobs read state' },
  ...['dev', 'staging', 'prod', 'shared'].map(
    (env): Contract => ({ principal: role('ci-plan-dev'), action: 'sts:AssumeRole', resource: WRITE(env), expected: 'Denied', why: 'a pull request never gets a state write role' }),
  ),
  { principal: role('ci-plan-prod'), action: 'sts:AssumeRole', resource: WRITE('prod'), expected: 'Denied', why: 'not even its own environment' },
  { principal: READ, action: 's3:GetObject', resource: 's3:dev/network.tfstate', expected: 'Allowed', why: 'plans read their state' },
  { principal: READ, action: 's3:GetObject', resource: 's3:shared/network-hub.tfstate', expected: 'Allowed', why: 'remote state of another environment' },
  { principal: READ, action: 's3:ListBucket', resource: 'bucket', expected: 'Allowed', why: 'the backend lists workspaces' },
  { principal: READ, action: 'kms:Decrypt', resource: 'key', expected: 'Allowed', why: 'state is KMS-encrypted' },
  ...['s3:PutObject', 's3:DeleteObject'].flatMap((action) =>
    ['dev/network.tfstate', 'dev/network.tfstate.tflock', 'prod/network.tfstate'].map(
      (key): Contract => ({ principal: READ, action, resource: `s3:${key}`, expected: 'Denied', why: 'the read role writes no state and no lock' }),
    ),
  ),
  { principal: READ, action: 'kms:GenerateDataKey', resource: 'key', expected: 'Denied', why: 'it cannot encrypt a new state either' },
  { principal: READ, action: 's3:PutObject', resource: 's3:dev/network.tfstate', extraIdentity: s3All, expected: 'Denied', why: 'the bucket policy refuses it even with s3:*' },
  // Applies: only their own environment's prefix.
  { principal: role('ci-apply-dev'), action: 'sts:AssumeRole', resource: WRITE('dev'), expected: 'Allowed', why: 'apply of dev writes dev state' },
  { principal: role('ci-apply-dev'), action: 'sts:AssumeRole', resource: READ, expected: 'Allowed', why: 'apply reads producer state' },
  ...['prod', 'staging', 'shared'].map(
    (env): Contract => ({ principal: role('ci-apply-dev'), action: 'sts:AssumeRole', resource: WRITE(env), expected: 'Denied', why: "dev's apply never writes another environment" }),
  ),
  { principal: role('ci-apply-prod'), action: 'sts:AssumeRole', resource: WRITE('dev'), expected: 'Denied', why: "prod's apply never writes dev" },
  ...['s3:GetObject', 's3:PutObject', 's3:DeleteObject'].flatMap((action) =>
    ['dev/network.tfstate', 'dev/network.tfstate.tflock'].map(
      (key): Contract => ({ principal: WRITE('dev'), action, resource: `s3:${key}`, expected: 'Allowed', why: 'state and lock of dev' }),
    ),
  ),
  { principal: WRITE('dev'), action: 'kms:GenerateDataKey', resource: 'key', expected: 'Allowed', why: 'writes encrypted state' },
  ...['s3:PutObject', 's3:DeleteObject'].flatMap((action) =>
    ['prod/network.tfstate', 'prod/network.tfstate.tflock', 'shared/bootstrap.tfstate', 'devx/network.tfstate', 'other.tfstate'].map(
      (key): Contract => ({ principal: WRITE('dev'), action, resource: `s3:${key}`, expected: 'Denied', why: 'outside dev/' }),
    ),
  ),
  { principal: WRITE('dev'), action: 's3:PutObject', resource: 's3:prod/network.tfstate', extraIdentity: s3All, expected: 'Denied', why: 'the bucket policy refuses it even with s3:*' },
  { principal: role('ci-apply-dev'), action: 's3:PutObject', resource: 's3:dev/network.tfstate', extraIdentity: s3All, expected: 'Denied', why: 'only state write roles write' },
  // Nothing without TLS.
  { principal: READ, action: 's3:GetObject', resource: 's3:dev/network.tfstate', secureTransport: false, expected: 'Denied', why: 'TLS only' },
  { principal: WRITE('dev'), action: 's3:PutObject', resource: 's3:dev/network.tfstate', secureTransport: false, expected: 'Denied', why: 'TLS only' },
  { principal: WRITE('dev'), action: 's3:GetObject', resource: 's3:dev/network.tfstate', secureTransport: false, expected: 'Denied', why: 'TLS only' },
  // Break glass: the platform administrators keep write access to every prefix.
  { principal: ADMIN, action: 's3:PutObject', resource: 's3:prod/network.tfstate', extraIdentity: s3All, expected: 'Allowed', why: 'administrators repair state' },
  { principal: ADMIN, action: 'sts:AssumeRole', resource: WRITE('prod'), extraIdentity: { Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }, expected: 'Allowed', why: 'administrators apply by hand' },
];

describe('access contracts of Terraform state', () => {
  it.each(CONTRACTS.map((c) => [`${c.principal.split('/').pop()} ${c.action} ${c.resource.split('/').pop() === c.resource ? c.resource : c.resource.replace(/^arn:.*role\//, 'role/')}${c.secureTransport === false ? ' without TLS' : ''}${c.extraIdentity ? ' (given s3:*)' : ''}`, c] as const))(
    '%s',
    async (_, contract) => {
      expect({ why: contract.why, result: await evaluate(contract) }).toEqual({ why: contract.why, result: contract.expected });
    },
  );

  it('covers every environment: each has its own write role, assumable by its own apply role only', async () => {
    for (const env of platform.environments.map((e) => e.name)) {
      for (const other of platform.environments.map((e) => e.name)) {
        const result = await evaluate({ principal: role(`ci-apply-${other}`), action: 'sts:AssumeRole', resource: WRITE(env), expected: 'Allowed', why: '' });
        expect([env, other, result]).toEqual([env, other, env === other ? 'Allowed' : 'Denied']);
      }
    }
  });

  it('leaves no role that writes every environment: the old shared state role is gone', () => {
    const names = Object.values<any>(resourcesOf(json, 'aws_iam_role')).map((r) => r.name);
    expect(names).not.toContain('platform-state');
    expect(names).toEqual(expect.arrayContaining(['platform-state-read', 'platform-state-dev', 'platform-state-staging', 'platform-state-prod', 'platform-state-shared']));
  });
});
