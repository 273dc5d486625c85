/** How rules read policies and container definitions written as JSON.stringify, Fn.jsonencode or data sources. */
import { Fn } from 'cdktf';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { parseJsonencode } from '../../../modules/core/jsonencode-reader';
import { parsePolicy } from '../../../modules/guardrails/private/policy';
import { buildStackView } from '../../../modules/guardrails/private/stack-view';
import { newTestStack } from '../../helpers/platform';

function viewOf(build: (stack: ReturnType<typeof newTestStack>) => void) {
  const stack = newTestStack('dev');
  build(stack);
  return buildStackView(stack.node.id, stack.environment, stack.toTerraform());
}

describe('parseJsonencode', () => {
  test.each([
    ['${jsonencode({"a" = 1, "b" = [true, null, "x"]})}', { a: 1, b: [true, null, 'x'] }],
    ['${jsonencode({"Resource" = [aws_s3_bucket.logs.arn, "${aws_s3_bucket.logs.arn}/*"]})}', { Resource: ['${aws_s3_bucket.logs.arn}', '${aws_s3_bucket.logs.arn}/*'] }],
    ['${jsonencode({"k" = "say \\"hi\\"", "f" = concat(var.a, [1, 2])})}', { k: 'say "hi"', f: '${concat(var.a, [1, 2])}' }],
    ['${jsonencode([{"name" = "api"}])}', [{ name: 'api' }]],
  ])('%s', (text, expected) => {
    expect(parseJsonencode(text)).toEqual(expected);
  });

  test.each(['{"a": 1}', '${file("x.json")}', '${jsonencode({"a" = })}', '${jsonencode({"a" = 1}) }extra'])('is undefined for %s', (text) => {
    expect(parseJsonencode(text)).toBeUndefined();
  });

  test('reads what cdktf writes for Fn.jsonencode with tokens', () => {
    const view = viewOf((stack) => {
      const b = new S3Bucket(stack, 'logs', { bucket: 'acme-logs' });
      new S3Bucket(stack, 'other', { bucket: 'acme-other', policy: Fn.jsonencode({ Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `${b.arn}/*` }] }) });
    });
    const policy = parsePolicy(view.byAddress('aws_s3_bucket.other')!.attributes.policy, view);
    expect(policy).toEqual({ ok: true, statements: [expect.objectContaining({ effect: 'Allow', principals: ['*'], actions: ['s3:GetObject'], resources: ['${aws_s3_bucket.logs.arn}/*'], hasCondition: false })] });
  });
});

describe('parsePolicy', () => {
  test('follows a reference to an aws_iam_policy_document of the stack', () => {
    const view = viewOf((stack) => {
      const doc = new DataAwsIamPolicyDocument(stack, 'doc', {
        statement: [{ effect: 'Allow', actions: ['kms:Decrypt'], resources: ['*'], principals: [{ type: 'AWS', identifiers: ['*'] }], condition: [{ test: 'StringEquals', variable: 'aws:PrincipalOrgID', values: ['o-a1b2c3d4e5'] }] }],
      });
      new S3Bucket(stack, 'b', { bucket: 'acme-b', policy: doc.json });
    });
    expect(parsePolicy(view.byAddress('aws_s3_bucket.b')!.attributes.policy, view)).toEqual({
      ok: true,
      statements: [expect.objectContaining({ principals: ['*'], actions: ['kms:Decrypt'], hasCondition: true, conditions: [{ operator: 'StringEquals', key: 'aws:PrincipalOrgID', values: ['o-a1b2c3d4e5'], nonStringValues: [] }] })],
    });
  });

  test('says why it cannot read a policy', () => {
    const view = viewOf(() => undefined);
    expect(parsePolicy('${file("policy.json")}', view)).toEqual({ ok: false, reason: expect.stringMatching(/cannot be read at synth time \(\$\{file\("policy.json"\)\}\)/) });
  });
});
