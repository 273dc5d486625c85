import { Testing } from 'cdktf';
import { WAF_MANAGED_RULE_GROUPS, WebAcl, type WebAclProps } from '../../../modules/containers';
import { newTestStack, resourcesOf, synthJson } from '../../helpers/platform';

const ACCOUNT = '510987654321';
const KEY_ARN = 'arn:aws:kms:eu-west-1:510987654321:key/0f0f0f0f-1111-2222-3333-444455556666';
const LOGS = `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:aws-waf-logs-dev-platform`;

function synthAcl(overrides: Partial<WebAclProps> = {}) {
  const stack = newTestStack('dev');
  new WebAcl(stack, 'web_acl', { name: 'dev-platform', resourceArn: 'arn:aws:elasticloadbalancing:eu-west-1:510987654321:loadbalancer/app/dev-platform/1', rateLimitPerFiveMinutes: 1000, accountId: ACCOUNT, region: 'eu-west-1', logRetentionDays: 30, logKmsKeyArn: KEY_ARN, ...overrides });
  return synthJson(stack);
}

describe('WebAcl', () => {
  const json = synthAcl();
  const acl = resourcesOf(json, 'aws_wafv2_web_acl').web_acl;
  it('is regional and allows what no rule blocks', () => {
    expect(acl).toEqual(expect.objectContaining({ scope: 'REGIONAL', default_action: { allow: {} } }));
  });
  it('runs the AWS managed groups (common, known bad inputs, IP reputation) after a per-IP rate limit', () => {
    const groups = acl.rule.filter((rule: any) => rule.statement.managed_rule_group_statement).map((rule: any) => rule.statement.managed_rule_group_statement.name);
    expect(groups.sort()).toEqual(['AWSManagedRulesAmazonIpReputationList', 'AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet']);
    expect(groups).toHaveLength(WAF_MANAGED_RULE_GROUPS.length);
    const rate = acl.rule.find((rule: any) => rule.statement.rate_based_statement);
    expect(rate).toEqual(expect.objectContaining({ priority: 0, action: { block: {} }, statement: { rate_based_statement: { limit: 1000, aggregate_key_type: 'IP' } } }));
    const priorities = acl.rule.map((rule: any) => rule.priority);
    expect(new Set(priorities).size).toBe(priorities.length);
  });
  it('is associated with the resource and logs to a log group of its own account and region', () => {
    // AWS WAF delivers only to a destination in the web ACL's account (and, for CloudWatch Logs, region):
    // https://docs.aws.amazon.com/waf/latest/developerguide/logging-cw-logs.html
    expect(resourcesOf(json, 'aws_wafv2_web_acl_association').web_acl_association.resource_arn).toMatch(/loadbalancer\/app\/dev-platform/);
    const logging = resourcesOf(json, 'aws_wafv2_web_acl_logging_configuration').web_acl_logging;
    expect(logging).toEqual(
      expect.objectContaining({ log_destination_configs: [LOGS], redacted_fields: [{ single_header: { name: 'authorization' } }, { single_header: { name: 'cookie' } }] }),
    );
    expect(logging.depends_on).toEqual(['aws_cloudwatch_log_group.web_acl_log_group', 'aws_cloudwatch_log_resource_policy.web_acl_log_delivery']);
  });
  it('keeps the logs in an aws-waf-logs- group, encrypted, for the given retention', () => {
    expect(resourcesOf(json, 'aws_cloudwatch_log_group').web_acl_log_group).toEqual(
      expect.objectContaining({ name: 'aws-waf-logs-dev-platform', retention_in_days: 30, kms_key_id: KEY_ARN }),
    );
  });
  it.each<[string, Partial<WebAclProps>, RegExp]>([
    ['an account id that is not one', { accountId: '5109' }, /WebAcl accountId must be a 12-digit account id \(got "5109"\)/],
    ['a rate limit below 10', { rateLimitPerFiveMinutes: 5 }, /rateLimitPerFiveMinutes must be an integer of at least 10 \(got 5\)/],
  ])('throws on %s', (_label, overrides, message) => {
    expect(() => synthAcl(overrides)).toThrow(message);
  });
});

describe('WebAcl as HCL (cdktf synth --hcl)', () => {
  it('writes each rule statement as nested blocks, as Terraform requires, not as an attribute', () => {
    const stack = newTestStack('dev');
    new WebAcl(stack, 'web_acl', { name: 'dev-platform', resourceArn: 'arn:aws:elasticloadbalancing:eu-west-1:510987654321:loadbalancer/app/dev-platform/1', rateLimitPerFiveMinutes: 1000, accountId: ACCOUNT, region: 'eu-west-1', logRetentionDays: 30, logKmsKeyArn: KEY_ARN });
    const hcl: string = Testing.synthHcl(stack);
    expect(hcl).toMatch(/statement \{\s*rate_based_statement \{\s*limit\s*= 1000\s*aggregate_key_type\s*= "IP"\s*\}\s*\}/);
    expect(hcl.match(/statement \{\s*managed_rule_group_statement \{\s*name\s*= "AWSManaged\w+"\s*vendor_name\s*= "AWS"/g)).toHaveLength(WAF_MANAGED_RULE_GROUPS.length);
    expect(hcl).not.toMatch(/statement\s*=/);
  });
});
