/**
 * The contract framework on a hand-written stack: references it cannot resolve fail, computed
 * ARNs are built as AWS builds them, and the evaluator decides with identity, resource and trust
 * policies, never silently dropping a condition key.
 */
import { shippedPlatform } from '../helpers/platform';
import { AccessEvaluator, CannotEvaluate } from './evaluator';
import { PolicyInventory, unreadPolicyAttributes } from './policy-inventory';
import { type Json, SynthesizedPlatform, UnresolvedReference } from './synthesized-platform';

const ACCOUNT = '510987654321';
const ORG = 'o-a1b2c3d4e5';
const doc = (statements: Json[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });

function stack(extra: Record<string, Record<string, Json>> = {}): Json {
  return {
    provider: { aws: [{ allowed_account_ids: [ACCOUNT], region: 'eu-west-1', assume_role: [{ role_arn: `arn:aws:iam::${ACCOUNT}:role/platform-deploy` }] }] },
    resource: {
      aws_s3_bucket: { data: { bucket: 'acme-data' } },
      aws_s3_bucket_policy: {
        data: {
          bucket: '${aws_s3_bucket.data.id}',
          policy: `\${jsonencode(${JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              { Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: '*', Resource: ['${aws_s3_bucket.data.arn}/*'], Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
              { Sid: 'ReaderReads', Effect: 'Allow', Principal: { AWS: '${aws_iam_role.reader.arn}' }, Action: 's3:GetObject', Resource: '${aws_s3_bucket.data.arn}/*' },
            ],
          }).replace(/":/g, '" =')})}`,
        },
      },
      aws_iam_role: {
        reader: { name: 'reader', assume_role_policy: doc([{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }]) },
        ci: {
          name: 'ci',
          assume_role_policy: `\${jsonencode(${JSON.stringify({
            Version: '2012-10-17',
            Statement: [
              {
                Effect: 'Allow',
                Principal: { Federated: '${aws_iam_openid_connect_provider.github.arn}' },
                Action: 'sts:AssumeRoleWithWebIdentity',
                Condition: { StringEquals: { 'token.actions.githubusercontent.com:sub': 'repo:acme/platform:pull_request' } },
              },
            ],
          }).replace(/":/g, '" =')})}`,
        },
      },
      aws_iam_openid_connect_provider: { github: { url: 'https://token.actions.githubusercontent.com' } },
      aws_kms_key: { data: { policy: doc([{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }]) } },
      aws_secretsmanager_secret: { token: { name: '/dev/token' } },
      ...extra,
    },
  };
}

function build(extra?: Record<string, Record<string, Json>>) {
  const synthesized = new SynthesizedPlatform(shippedPlatform(), { 'dev-test': stack(extra) });
  const inventory = new PolicyInventory(synthesized);
  return { synthesized, inventory, evaluator: new AccessEvaluator(inventory, ORG) };
}

describe('resolving the synthesized JSON', () => {
  it('builds the ARNs Terraform computes: bucket, key id, secret suffix, role, OIDC provider', () => {
    const { synthesized } = build();
    const resolve = (text: string) => synthesized.resolveString('dev-test', 'test', text);
    expect(resolve('${aws_s3_bucket.data.arn}/*')).toBe('arn:aws:s3:::acme-data/*');
    expect(resolve('${aws_kms_key.data.arn}')).toMatch(new RegExp(`^arn:aws:kms:eu-west-1:${ACCOUNT}:key/[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$`));
    expect(resolve('${aws_kms_key.data.arn}')).toBe(resolve('${aws_kms_key.data.arn}'));
    expect(resolve('${aws_secretsmanager_secret.token.arn}')).toMatch(new RegExp(`^arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:/dev/token-[A-Za-z]{6}$`));
    expect(resolve('${aws_iam_role.reader.arn}')).toBe(`arn:aws:iam::${ACCOUNT}:role/reader`);
    expect(resolve('${aws_iam_openid_connect_provider.github.arn}')).toBe(`arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`);
  });

  it.each([
    ['an attribute no rule computes', '${aws_s3_bucket.data.bucket_regional_domain_name}', /no rule computes aws_s3_bucket\.bucket_regional_domain_name/],
    ['a resource that does not exist', '${aws_kms_key.missing.arn}', /dev-test has no resource aws_kms_key\.missing/],
    ['a function call', '${join(",", ["a"])}', /not a plain reference/],
    ['a remote state the stack does not read', '${data.terraform_remote_state.other.outputs.x}', /no such remote state/],
  ])('fails on %s, naming where', (_, text, message) => {
    const { synthesized } = build();
    expect(() => synthesized.resolveString('dev-test', 'dev-test:some.policy', text)).toThrow(UnresolvedReference);
    expect(() => synthesized.resolveString('dev-test', 'dev-test:some.policy', text)).toThrow(message);
  });

  it('fails to build the inventory when a policy holds a reference it cannot resolve', () => {
    expect(() =>
      build({ aws_sns_topic_policy: { alerts: { arn: '${aws_sns_topic.alerts.arn}', policy: doc([{ Effect: 'Allow', Principal: '*', Action: 'sns:Publish', Resource: '*' }]) } } }),
    ).toThrow(/dev-test:aws_sns_topic_policy\.alerts: cannot resolve .*aws_sns_topic\.alerts/);
  });
});

describe('policy attributes the inventory does not read', () => {
  it('are reported: a queue policy is an access path no contract knows', () => {
    const { synthesized } = build({ aws_sqs_queue_policy: { jobs: { queue_url: 'https://sqs', policy: doc([{ Effect: 'Allow', Principal: '*', Action: 'sqs:SendMessage', Resource: '*' }]) } } });
    expect(unreadPolicyAttributes(synthesized)).toEqual(['dev-test:aws_sqs_queue_policy.jobs.policy']);
  });
});

describe('evaluating a request', () => {
  const reader = `arn:aws:iam::${ACCOUNT}:role/reader`;
  const object = 'arn:aws:s3:::acme-data/report.csv';

  it('allows what the bucket policy grants, and says which statement decided', async () => {
    const evaluation = await build().evaluator.evaluate({ principal: { role: reader }, action: 's3:GetObject', resource: object });
    expect(evaluation).toMatchObject({ decision: 'Allow', resourcePolicy: 'dev-test:aws_s3_bucket_policy.data.policy' });
    expect(evaluation.allowedBy).toEqual([{ policyId: 'dev-test:aws_s3_bucket_policy.data.policy', index: 1 }]);
  });

  it('denies the same request without TLS, and what nothing grants', async () => {
    const { evaluator } = build();
    expect((await evaluator.evaluate({ principal: { role: reader }, action: 's3:GetObject', resource: object, context: { 'aws:SecureTransport': 'false' } })).result).toBe('ExplicitlyDenied');
    expect((await evaluator.evaluate({ principal: { role: reader }, action: 's3:PutObject', resource: object })).decision).toBe('Deny');
  });

  it('evaluates a key the simulator drops (an OIDC claim) instead of ignoring its condition', async () => {
    const { evaluator } = build();
    const provider = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
    const assume = (sub: string) =>
      evaluator.evaluate({ principal: { webIdentity: provider }, action: 'sts:AssumeRoleWithWebIdentity', resource: `arn:aws:iam::${ACCOUNT}:role/ci`, context: { 'token.actions.githubusercontent.com:sub': sub } });
    const allowed = await assume('repo:acme/platform:pull_request');
    expect(allowed).toMatchObject({ decision: 'Allow', keysOutsideSimulator: ['token.actions.githubusercontent.com:sub'] });
    expect(allowed.allowedBy).toEqual([{ policyId: 'dev-test:aws_iam_role.ci.assume_role_policy', index: 0 }]);
    expect((await assume('repo:someone/else:pull_request')).decision).toBe('Deny');
  });

  it('refuses a context key AWS does not know, a principal nobody creates and a resource nobody owns', async () => {
    const { evaluator } = build();
    await expect(evaluator.evaluate({ principal: { role: reader }, action: 's3:GetObject', resource: object, context: { 's3:x-amz-acll': 'private' } })).rejects.toThrow(
      /context key s3:x-amz-acll is no condition key AWS knows/,
    );
    await expect(evaluator.evaluate({ principal: { role: `arn:aws:iam::${ACCOUNT}:role/ghost` }, action: 's3:GetObject', resource: object })).rejects.toThrow(CannotEvaluate);
    await expect(evaluator.evaluate({ principal: { role: reader }, action: 'sts:AssumeRole', resource: `arn:aws:iam::${ACCOUNT}:role/ghost` })).rejects.toThrow(/its trust policy is unknown/);
    await expect(evaluator.evaluate({ principal: { role: reader }, action: 's3:GetObject', resource: 'arn:aws:s3:::someone-elses/x' })).rejects.toThrow(/belongs to no synthesized account/);
  });

  it('never claims a Deny for a role whose managed policies are not modeled', async () => {
    const { evaluator } = build({
      aws_iam_role_policy_attachment: { reader_backup: { role: '${aws_iam_role.reader.name}', policy_arn: 'arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup' } },
    });
    await expect(evaluator.evaluate({ principal: { role: reader }, action: 's3:PutObject', resource: object })).rejects.toThrow(/whose content is not modeled: the denial is not proven/);
  });
});
