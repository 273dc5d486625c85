import { Construct } from 'constructs';
import type { Wafv2WebAcl, Wafv2WebAclRule } from '@cdktf/provider-aws/lib/wafv2-web-acl';
import { Wafv2WebAclAssociation } from '@cdktf/provider-aws/lib/wafv2-web-acl-association';
import { Wafv2WebAclLoggingConfiguration } from '@cdktf/provider-aws/lib/wafv2-web-acl-logging-configuration';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { CloudwatchLogResourcePolicy } from '@cdktf/provider-aws/lib/cloudwatch-log-resource-policy';
import { policyDocument, type PolicyStatement } from '../core/iam';
import { WAF_LOG_DELIVERY_SERVICE, WAF_LOG_GROUP_PREFIX, WAF_MANAGED_RULE_GROUPS, WAF_REDACTED_HEADERS } from './defaults';
import { Wafv2WebAclWithStatementBlocks } from './private/wafv2-web-acl-blocks';

export interface WebAclProps {
  /** Web ACL name (also the metric prefix), `dev-platform`. */
  readonly name: string;
  /** The regional resource protected (the ALB ARN). */
  readonly resourceArn: string;
  /** Requests per 5 minutes from one IP before it is blocked. */
  readonly rateLimitPerFiveMinutes: number;
  /** Account of the web ACL: its logs stay in this account (WAF delivers to its own account only). */
  readonly accountId: string;
  /** Region of the web ACL and of its log group. */
  readonly region: string;
  /** Retention of the WAF log group, in days (the tier's). */
  readonly logRetentionDays: number;
  /** KMS key ARN of the WAF log group (a key CloudWatch Logs of this region may use). */
  readonly logKmsKeyArn: string;
  /** AWS managed rule groups, in evaluation order. @default WAF_MANAGED_RULE_GROUPS */
  readonly managedRuleGroups?: readonly string[];
}

/** Evaluation order: the rate limit first, then the managed groups. */
const RATE_RULE_PRIORITY = 0;
const FIRST_MANAGED_PRIORITY = 10;
const PRIORITY_STEP = 10;

/**
 * A regional WAFv2 web ACL on one resource: AWS managed rule groups, a per-IP rate limit, and
 * logging (authorization and cookie headers redacted) to a CloudWatch Logs group of the web
 * ACL's own account and region, `aws-waf-logs-<name>`, encrypted and kept for the tier's
 * retention. AWS WAF delivers only to a destination in the web ACL's account and region
 * (https://docs.aws.amazon.com/waf/latest/developerguide/logging-cw-logs.html, and logging-s3.html
 * for S3), so a bucket of the log-archive account cannot receive them. Delivery goes through
 * `delivery.logs.amazonaws.com`, admitted by a resource policy managed here (otherwise WAF
 * writes an account-wide `AWSWAF-LOGS` policy of its own).
 */
export class WebAcl extends Construct {
  readonly webAcl: Wafv2WebAcl;
  /** `aws-waf-logs-<name>`: the name WAF requires of a log group destination. */
  readonly logGroupName: string;
  /** ARN of the log group, without the `:*` suffix (the form WAF accepts). */
  readonly logGroupArn: string;
  readonly logGroup: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: WebAclProps) {
    super(scope, id);
    if (!/^\d{12}$/.test(props.accountId)) throw new Error(`WebAcl accountId must be a 12-digit account id (got "${props.accountId}")`);
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

    this.logGroupName = `${WAF_LOG_GROUP_PREFIX}${props.name}`;
    this.logGroupArn = `arn:aws:logs:${props.region}:${props.accountId}:log-group:${this.logGroupName}`;
    this.logGroup = new CloudwatchLogGroup(this, 'log_group', {
      name: this.logGroupName,
      retentionInDays: props.logRetentionDays,
      kmsKeyId: props.logKmsKeyArn,
    });
    const delivery = new CloudwatchLogResourcePolicy(this, 'log_delivery', {
      policyName: `${this.logGroupName}-delivery`,
      policyDocument: policyDocument([wafLogDelivery(this.logGroupArn, props.accountId, props.region)]),
    });
    new Wafv2WebAclLoggingConfiguration(this, 'logging', {
      resourceArn: this.webAcl.arn,
      logDestinationConfigs: [this.logGroupArn],
      redactedFields: WAF_REDACTED_HEADERS.map((header) => ({ singleHeader: { name: header } })),
      dependsOn: [this.logGroup, delivery],
    });
  }
}

/**
 * What CloudWatch Logs requires of a log group that AWS services deliver to through
 * `delivery.logs.amazonaws.com`: CreateLogStream and PutLogEvents on the group's streams, for
 * deliveries of this account only (the policy AWS would write itself has the same conditions:
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-CWL.html).
 */
export function wafLogDelivery(logGroupArn: string, accountId: string, region: string): PolicyStatement {
  return {
    Sid: 'WafLogDelivery',
    Effect: 'Allow',
    Principal: { Service: WAF_LOG_DELIVERY_SERVICE },
    Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
    Resource: `${logGroupArn}:log-stream:*`,
    Condition: { StringEquals: { 'aws:SourceAccount': accountId }, ArnLike: { 'aws:SourceArn': `arn:aws:logs:${region}:${accountId}:*` } },
  };
}
