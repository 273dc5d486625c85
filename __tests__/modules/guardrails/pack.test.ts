/** The pack: Aspect entry point, dispatch, findings, suppressions, reports. */
import { Testing, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import {
  ALL_RULES,
  GuardrailPack,
  MIN_SUPPRESSION_REASON_LENGTH,
  SUPPRESSION_RULE_ID,
  applyGuardrails,
  checkStack,
  collectGuardrailReports,
  defineRule,
  everyTier,
  formatComplianceSummary,
  formatFinding,
  formatSuppressions,
  guardrailReport,
  suppress,
} from '../../../modules/guardrails';
import { LayerStack } from '../../../stacks/layer-stack';
import { newTestStack, shippedPlatform } from '../../helpers/platform';
import * as f from './fixtures';

const REASON = 'ELB access log delivery writes only to SSE-S3 buckets';

function unencryptedTopic(scope: Construct, id = 'alerts'): SnsTopic {
  return new SnsTopic(scope, id, { name: id });
}

describe('as an Aspect of the stack', () => {
  test('an error finding fails the synth with rule id, address, construct path and fix', () => {
    const stack = newTestStack('dev');
    applyGuardrails(stack);
    unencryptedTopic(stack);
    expect(() => Testing.synth(stack, true)).toThrow(
      /ERROR PLAT-SNS-1 aws_sns_topic.alerts \[dev-test\/alerts\]: kms_master_key_id is not set\n\s+fix: Set kms_master_key_id/,
    );
  });

  test('a compliant stack synthesizes and keeps its report', () => {
    const stack = newTestStack('dev');
    applyGuardrails(stack);
    new SnsTopic(stack, 'alerts', { name: 'alerts', kmsMasterKeyId: f.KEY_ARN });
    expect(() => Testing.synth(stack, true)).not.toThrow();
    expect(guardrailReport(stack)).toMatchObject({ stack: 'dev-test', failed: 0, findings: [] });
    expect(guardrailReport(stack)!.passed).toBeGreaterThan(0);
  });

  test('sees resources added after the Aspect', () => {
    const stack = newTestStack('dev');
    applyGuardrails(stack);
    const late = new Construct(stack, 'late');
    unencryptedTopic(late, 'added_later');
    expect(() => Testing.synth(stack, true)).toThrow(/PLAT-SNS-1 aws_sns_topic.late_added_later \[dev-test\/late\/added_later\]/);
  });

  test('refuses a stack that is not a LayerStack', () => {
    const app = Testing.app();
    const plain = new TerraformStack(app, 'plain');
    applyGuardrails(plain);
    expect(() => Testing.synth(plain, true)).toThrow(/GuardrailPack: stack plain is not a LayerStack/);
  });

  test('refuses two rules with one id', () => {
    expect(() => new GuardrailPack({ rules: [ALL_RULES[0], ALL_RULES[0]] })).toThrow(/rules holds rule id PLAT-\S+ twice/);
  });

  test('with collectGuardrailReports the app synthesizes every stack and reports all of them', () => {
    const platform = shippedPlatform();
    const app = Testing.app();
    const stacks = ['dev', 'prod'].map((env) => new LayerStack(app, { platform, environment: platform.environment(env), layer: 'test' }));
    stacks.forEach((stack) => {
      applyGuardrails(stack);
      unencryptedTopic(stack);
    });
    const reports = collectGuardrailReports(app);
    expect(() => app.synth()).not.toThrow();
    expect(reports.map((r) => [r.stack, r.findings.map((x) => x.ruleId)])).toEqual([
      ['dev-test', ['PLAT-SNS-1']],
      ['prod-test', ['PLAT-SNS-1']],
    ]);
  });
});

describe('findings', () => {
  test('carry rule id, level, stack, construct path, address, message and fix', () => {
    const stack = newTestStack('dev');
    const nested = new Construct(stack, 'alerting');
    unencryptedTopic(nested, 'critical');
    const [finding] = checkStack(stack).findings;
    expect(finding).toEqual({
      ruleId: 'PLAT-SNS-1',
      level: 'error',
      stack: 'dev-test',
      path: 'dev-test/alerting/critical',
      address: 'aws_sns_topic.alerting_critical',
      message: 'kms_master_key_id is not set',
      fix: expect.stringContaining('kms_master_key_id'),
    });
    expect(formatFinding(finding)).toMatch(/^ERROR PLAT-SNS-1 aws_sns_topic.alerting_critical \[dev-test\/alerting\/critical\]: /);
  });

  test('warnings (staging tier) are reported, not failed', () => {
    const stack = newTestStack('staging');
    f.alb(stack, 'alb', { deletionProtection: false });
    const report = checkStack(stack);
    expect(report.findings.map((x) => [x.level, x.ruleId])).toEqual([['warning', 'PLAT-TIER-2']]);
    expect(report.warned).toBe(1);
    expect(report.failed).toBe(0);
  });

  test('a rule that throws is reported as an error of that rule, not swallowed', () => {
    const broken = defineRule({
      id: 'PLAT-TEST-1',
      name: 'broken',
      info: 'throws on every topic',
      explanation: 'a rule with a bug',
      fix: 'n/a',
      level: everyTier('error'),
      resourceTypes: ['aws_sns_topic'],
      evaluate() {
        throw new Error('cannot read properties of undefined');
      },
    });
    const stack = newTestStack('dev');
    unencryptedTopic(stack);
    const report = checkStack(stack, [broken]);
    expect(report.findings).toEqual([
      expect.objectContaining({ ruleId: 'PLAT-TEST-1', level: 'error', address: 'aws_sns_topic.alerts', message: 'rule broken threw: cannot read properties of undefined' }),
    ]);
    expect(report.failed).toBe(1);
  });

  test('checks add up to passed + suppressed + warned + failed, and the summary shows them', () => {
    const stack = newTestStack('dev');
    f.bucket(stack, 'ok');
    const bad = f.bucket(stack, 'bad', { versioning: false, publicAccessBlock: false });
    suppress(bad, 'PLAT-S3-3', 'public access is blocked at account level by the org SCP');
    const report = checkStack(stack);
    expect(report.checks).toBe(report.passed + report.suppressed + report.warned + report.failed);
    // per bucket: PLAT-S3-1..4 and PLAT-TAG-1 on the bucket, PLAT-IAM-2 and PLAT-DRIFT-3 on its aws_s3_bucket_policy
    expect(report).toMatchObject({ rulesChecked: 7, checks: 14, passed: 12, suppressed: 1, warned: 0, failed: 1 });
    const summary = formatComplianceSummary([report]);
    expect(summary.split('\n')[0]).toMatch(/^stack\s+tier\s+rules\s+checks\s+passed\s+suppressed\s+warned\s+failed$/);
    expect(summary.split('\n')[1]).toMatch(new RegExp(`^dev-test\\s+dev\\s+${report.rulesChecked}\\s+${report.checks}\\s+${report.passed}\\s+1\\s+0\\s+1$`));
  });
});

describe('suppressions', () => {
  test('a suppression with a reason suppresses the rule on the construct and its children, and is listed', () => {
    const stack = newTestStack('prod');
    const albLogs = new Construct(stack, 'alb_logs');
    f.bucket(albLogs, 'bucket', { encryption: 'AES256' });
    suppress(albLogs, 'PLAT-TIER-6', REASON);
    const report = checkStack(stack);
    expect(report.findings).toEqual([]);
    expect(report.suppressions).toEqual([{ ruleId: 'PLAT-TIER-6', reason: REASON, path: 'prod-test/alb_logs', suppressedAddresses: ['aws_s3_bucket.alb_logs_bucket'] }]);
    expect(formatSuppressions([report])).toBe(`PLAT-TIER-6 [prod-test/alb_logs] (1 finding): ${REASON}`);
  });

  test('suppresses only the named rule', () => {
    const stack = newTestStack('prod');
    const b = f.bucket(stack, 'logs', { encryption: 'AES256', versioning: false });
    suppress(b, 'PLAT-TIER-6', REASON);
    expect(checkStack(stack).findings.map((x) => x.ruleId)).toEqual(['PLAT-S3-2']);
  });

  test('does not reach siblings', () => {
    const stack = newTestStack('dev');
    const one = unencryptedTopic(stack, 'one');
    unencryptedTopic(stack, 'two');
    suppress(one, 'PLAT-SNS-1', 'subscribers are outside the org and cannot use our key');
    expect(checkStack(stack).findings.map((x) => x.address)).toEqual(['aws_sns_topic.two']);
  });

  test.each([
    ['no reason', '', /suppression of PLAT-SNS-1 has no reason/],
    ['a whitespace reason', '   ', /suppression of PLAT-SNS-1 has no reason/],
    ['too short a reason', 'legacy', /suppression of PLAT-SNS-1 has too short a reason \("legacy"\)/],
  ])('a suppression with %s is itself an error and suppresses nothing', (_situation, reason, message) => {
    const stack = newTestStack('dev');
    const topic = unencryptedTopic(stack);
    suppress(topic, 'PLAT-SNS-1', reason);
    const report = checkStack(stack);
    expect(report.findings.map((x) => [x.ruleId, x.level, x.address])).toEqual([
      [SUPPRESSION_RULE_ID, 'error', 'aws_sns_topic.alerts'],
      ['PLAT-SNS-1', 'error', 'aws_sns_topic.alerts'],
    ]);
    expect(report.findings[0].message).toMatch(message);
    expect(report.findings[0].fix).toContain(String(MIN_SUPPRESSION_REASON_LENGTH));
    expect(report.suppressions).toEqual([]);
  });

  test('a suppression without a reason fails the synth', () => {
    const stack = newTestStack('dev');
    applyGuardrails(stack);
    suppress(new S3Bucket(stack, 'b', { bucket: 'acme-b' }), 'PLAT-S3-1', '');
    expect(() => Testing.synth(stack, true)).toThrow(new RegExp(`ERROR ${SUPPRESSION_RULE_ID} aws_s3_bucket.b \\[dev-test/b\\]: suppression of PLAT-S3-1 has no reason`));
  });

  test('a suppression of an unknown rule is an error', () => {
    const stack = newTestStack('dev');
    const group = new Construct(stack, 'group');
    suppress(group, 'PLAT-S3-99', 'a long enough reason for the suppression');
    expect(checkStack(stack).findings).toEqual([
      expect.objectContaining({ ruleId: SUPPRESSION_RULE_ID, path: 'dev-test/group', address: '-', message: 'suppression names unknown rule "PLAT-S3-99"' }),
    ]);
  });
});
