import { Testing } from 'cdktf';
import { WAF_MANAGED_RULE_GROUPS, WebAcl, type WebAclProps } from '../../../modules/containers';
import { newTestStack, resourcesOf, synthJson } from '../../helpers/platform';

const LOGS = 'arn:aws:s3:::aws-waf-logs-acme-310987654321';

function synthAcl(overrides: Partial<WebAclProps> = {}) {
  const stack = newTestStack('dev');
  new WebAcl(stack, 'web_acl', { name: 'dev-platform', resourceArn: 'arn:aws:elasticloadbalancing:eu-west-1:510987654321:loadbalancer/app/dev-platform/1', rateLimitPerFiveMinutes: 1000, logDestinationArn: LOGS, ...overrides });
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
  it('is associated with the resource and logs to the archive WAF bucket', () => {
    expect(resourcesOf(json, 'aws_wafv2_web_acl_association').web_acl_association.resource_arn).toMatch(/loadbalancer\/app\/dev-platform/);
    expect(resourcesOf(json, 'aws_wafv2_web_acl_logging_configuration').web_acl_logging).toEqual(
      expect.objectContaining({ log_destination_configs: [LOGS], redacted_fields: [{ single_header: { name: 'authorization' } }, { single_header: { name: 'cookie' } }] }),
    );
  });
  it.each<[string, Partial<WebAclProps>, RegExp]>([
    ['a log bucket WAF cannot write to', { logDestinationArn: 'arn:aws:s3:::acme-logs' }, /must be the ARN of a bucket named aws-waf-logs-\* \(got "arn:aws:s3:::acme-logs"\)/],
    ['a rate limit below 10', { rateLimitPerFiveMinutes: 5 }, /rateLimitPerFiveMinutes must be an integer of at least 10 \(got 5\)/],
  ])('throws on %s', (_label, overrides, message) => {
    expect(() => synthAcl(overrides)).toThrow(message);
  });
});

describe('WebAcl as HCL (cdktf synth --hcl)', () => {
  it('writes each rule statement as nested blocks, as Terraform requires, not as an attribute', () => {
    const stack = newTestStack('dev');
    new WebAcl(stack, 'web_acl', { name: 'dev-platform', resourceArn: 'arn:aws:elasticloadbalancing:eu-west-1:510987654321:loadbalancer/app/dev-platform/1', rateLimitPerFiveMinutes: 1000, logDestinationArn: LOGS });
    const hcl: string = Testing.synthHcl(stack);
    expect(hcl).toMatch(/statement \{\s*rate_based_statement \{\s*limit\s*= 1000\s*aggregate_key_type\s*= "IP"\s*\}\s*\}/);
    expect(hcl.match(/statement \{\s*managed_rule_group_statement \{\s*name\s*= "AWSManaged\w+"\s*vendor_name\s*= "AWS"/g)).toHaveLength(WAF_MANAGED_RULE_GROUPS.length);
    expect(hcl).not.toMatch(/statement\s*=/);
  });
});
