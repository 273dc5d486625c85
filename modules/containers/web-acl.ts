import { Construct } from 'constructs';
import type { Wafv2WebAcl, Wafv2WebAclRule } from '@cdktf/provider-aws/lib/wafv2-web-acl';
import { Wafv2WebAclAssociation } from '@cdktf/provider-aws/lib/wafv2-web-acl-association';
import { Wafv2WebAclLoggingConfiguration } from '@cdktf/provider-aws/lib/wafv2-web-acl-logging-configuration';
import { WAF_MANAGED_RULE_GROUPS, WAF_REDACTED_HEADERS } from './defaults';
import { Wafv2WebAclWithStatementBlocks } from './private/wafv2-web-acl-blocks';

export interface WebAclProps {
  /** Web ACL name (also the metric prefix), `dev-platform`. */
  readonly name: string;
  /** The regional resource protected (the ALB ARN). */
  readonly resourceArn: string;
  /** Requests per 5 minutes from one IP before it is blocked. */
  readonly rateLimitPerFiveMinutes: number;
  /** Where WAF writes its logs: an S3 bucket ARN whose name starts with `aws-waf-logs-`. */
  readonly logDestinationArn: string;
  /** AWS managed rule groups, in evaluation order. @default WAF_MANAGED_RULE_GROUPS */
  readonly managedRuleGroups?: readonly string[];
}

/** Evaluation order: the rate limit first, then the managed groups. */
const RATE_RULE_PRIORITY = 0;
const FIRST_MANAGED_PRIORITY = 10;
const PRIORITY_STEP = 10;

/**
 * A regional WAFv2 web ACL on one resource: AWS managed rule groups, a per-IP rate limit,
 * logging (authorization and cookie headers redacted) to the archive's WAF bucket.
 */
export class WebAcl extends Construct {
  readonly webAcl: Wafv2WebAcl;

  constructor(scope: Construct, id: string, props: WebAclProps) {
    super(scope, id);
    if (!/^arn:aws:s3:::aws-waf-logs-/.test(props.logDestinationArn) && !props.logDestinationArn.includes('${')) {
      throw new Error(`WebAcl logDestinationArn must be the ARN of a bucket named aws-waf-logs-* (got "${props.logDestinationArn}")`);
    }
    if (!Number.isInteger(props.rateLimitPerFiveMinutes) || props.rateLimitPerFiveMinutes < 10) {
      throw new Error(`WebAcl rateLimitPerFiveMinutes must be an integer of at least 10 (got ${props.rateLimitPerFiveMinutes})`);
    }
    const visibility = (metric: string) => ({ cloudwatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName: `${props.name}-${metric}` });
    const rules: Wafv2WebAclRule[] = [
      {
        name: 'rate-limit-per-ip',
        priority: RATE_RULE_PRIORITY,
        action: { block: {} },
        statement: { rate_based_statement: { limit: props.rateLimitPerFiveMinutes, aggregate_key_type: 'IP' } },
        visibilityConfig: visibility('rate-limit-per-ip'),
      },
      ...(props.managedRuleGroups ?? WAF_MANAGED_RULE_GROUPS).map((group, index) => ({
        name: group,
        priority: FIRST_MANAGED_PRIORITY + index * PRIORITY_STEP,
        overrideAction: { none: {} },
        statement: { managed_rule_group_statement: { name: group, vendor_name: 'AWS' } },
        visibilityConfig: visibility(group),
      })),
    ];
    this.webAcl = new Wafv2WebAclWithStatementBlocks(this, 'Resource', {
      name: props.name,
      description: `Protects ${props.name}: AWS managed rules and a per-IP rate limit`,
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      rule: rules,
      visibilityConfig: visibility('web-acl'),
    });
    new Wafv2WebAclAssociation(this, 'association', { resourceArn: props.resourceArn, webAclArn: this.webAcl.arn });
    new Wafv2WebAclLoggingConfiguration(this, 'logging', {
      resourceArn: this.webAcl.arn,
      logDestinationConfigs: [props.logDestinationArn],
      redactedFields: WAF_REDACTED_HEADERS.map((header) => ({ singleHeader: { name: header } })),
    });
  }
}
