/**
 * Flow logs of a VPC: ALL traffic to the central log archive (S3, parquet, hourly Hive
 * partitions) and, optionally, to a CloudWatch Logs group encrypted with a key of its own.
 */
import { Construct } from 'constructs';
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { policyDocument, serviceTrustPolicy } from '../core/iam';
import type { TieredVpc } from './vpc';
import { archiveDestinationArn, ARCHIVE_DESTINATION_OPTIONS } from './private/archive-destination';
import { CustomerManagedKey, logsUseKey } from '../core/customer-managed-key';

/** CloudWatch Logs retention values AWS accepts. */
export const CLOUDWATCH_RETENTION_DAYS: readonly number[] = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];
const AGGREGATION_SECONDS: readonly number[] = [60, 600];

export interface VpcFlowLogsProps {
  readonly vpc: TieredVpc;
  /** Environment name: names of the log group, key alias and role. */
  readonly environment: string;
  readonly region: string;
  readonly accountId: string;
  /** The central archive bucket (`logArchiveBucketName`). */
  readonly archiveBucketName: string;
  /** Key prefix inside the archive (`ARCHIVE_PREFIXES.flowLogs(env)`). */
  readonly archivePrefix: string;
  /** Seconds one record aggregates: 60 or 600. */
  readonly maxAggregationSeconds: number;
  /** Also deliver to CloudWatch Logs. @default false */
  readonly toCloudWatch?: boolean;
  /** Retention of the CloudWatch copy (a CloudWatch Logs retention value). Required when toCloudWatch. */
  readonly retentionDays?: number;
}

export class VpcFlowLogs extends Construct {
  readonly archive: FlowLog;
  readonly logGroup?: CloudwatchLogGroup;
  readonly key?: KmsKey;

  constructor(scope: Construct, id: string, props: VpcFlowLogsProps) {
    if (!AGGREGATION_SECONDS.includes(props.maxAggregationSeconds)) {
      throw new Error(`VpcFlowLogs ${id}: maxAggregationSeconds must be 60 or 600; got ${props.maxAggregationSeconds}`);
    }
    if (props.toCloudWatch && (props.retentionDays === undefined || !CLOUDWATCH_RETENTION_DAYS.includes(props.retentionDays))) {
      throw new Error(
        `VpcFlowLogs ${id}: retentionDays must be a CloudWatch Logs retention (${CLOUDWATCH_RETENTION_DAYS.join(', ')}) when toCloudWatch is true; got ${props.retentionDays}`,
      );
    }
    super(scope, id);
    const vpcId = props.vpc.vpc.id;
    const trafficType = 'ALL';

    this.archive = new FlowLog(this, 'archive', {
      vpcId,
      trafficType,
      logDestinationType: 's3',
      logDestination: archiveDestinationArn(props.archiveBucketName, props.archivePrefix),
      destinationOptions: ARCHIVE_DESTINATION_OPTIONS,
      maxAggregationInterval: props.maxAggregationSeconds,
      tags: { Name: `${props.environment}-vpc-flow-logs-archive` },
    });

    if (!props.toCloudWatch) return;
    const logGroupName = `/vpc/flow-logs/${props.environment}`;
    const logGroupArn = `arn:aws:logs:${props.region}:${props.accountId}:log-group:${logGroupName}`;
    const key = new CustomerManagedKey(this, 'key', {
      description: `CloudWatch Logs copy of the ${props.environment} VPC flow logs`,
      aliasName: `alias/${props.environment}-vpc-flow-logs`,
      accountId: props.accountId,
      region: props.region,
      statements: [logsUseKey('CloudWatchLogsEncryptsTheFlowLogGroup', props.region, logGroupArn)],
    });
    this.key = key.key;
    this.logGroup = new CloudwatchLogGroup(this, 'log_group', {
      name: logGroupName,
      retentionInDays: props.retentionDays,
      kmsKeyId: this.key.arn,
    });
    const role = new IamRole(this, 'role', {
      name: `${props.environment}-vpc-flow-logs`,
      assumeRolePolicy: serviceTrustPolicy('vpc-flow-logs.amazonaws.com', { StringEquals: { 'aws:SourceAccount': props.accountId } }),
    });
    new IamRolePolicy(this, 'role_policy', {
      role: role.id,
      name: 'deliver-to-log-group',
      policy: policyDocument([
        {
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
          Resource: [logGroupArn, `${logGroupArn}:*`],
        },
        { Effect: 'Allow', Action: 'logs:DescribeLogGroups', Resource: `arn:aws:logs:${props.region}:${props.accountId}:log-group:*` },
      ]),
    });
    new FlowLog(this, 'cloudwatch', {
      vpcId,
      trafficType,
      logDestinationType: 'cloud-watch-logs',
      logDestination: this.logGroup.arn,
      iamRoleArn: role.arn,
      maxAggregationInterval: props.maxAggregationSeconds,
      tags: { Name: `${props.environment}-vpc-flow-logs-cloudwatch` },
    });
  }
}
