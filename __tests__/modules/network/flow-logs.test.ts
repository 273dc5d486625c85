import { VpcFlowLogs, type VpcFlowLogsProps } from '../../../modules/network/flow-logs';
import { resourcesOf, synthJson, vpcStack } from './helpers';

function flowLogs(props: Partial<VpcFlowLogsProps> = {}) {
  const { stack, vpc } = vpcStack();
  new VpcFlowLogs(stack, 'flow_logs', {
    vpc,
    environment: 'dev',
    region: 'eu-west-1',
    accountId: '510987654321',
    archiveBucketName: 'acme-log-archive-310987654321',
    archivePrefix: 'vpc-flow-logs/dev',
    maxAggregationSeconds: 600,
    ...props,
  });
  return synthJson(stack);
}

describe('VpcFlowLogs', () => {
  describe('to the archive only (the default)', () => {
    const json = flowLogs();

    it('sends ALL traffic to the archive bucket prefix as parquet in hourly Hive partitions', () => {
      expect(resourcesOf(json, 'aws_flow_log')).toEqual({
        flow_logs_archive: expect.objectContaining({
          vpc_id: '${aws_vpc.vpc.id}',
          traffic_type: 'ALL',
          log_destination_type: 's3',
          log_destination: 'arn:aws:s3:::acme-log-archive-310987654321/vpc-flow-logs/dev',
          destination_options: { file_format: 'parquet', hive_compatible_partitions: true, per_hour_partition: true },
          max_aggregation_interval: 600,
        }),
      });
    });

    it('creates no log group, key or role', () => {
      expect(resourcesOf(json, 'aws_cloudwatch_log_group')).toEqual({});
      expect(resourcesOf(json, 'aws_kms_key')).toEqual({});
      expect(resourcesOf(json, 'aws_iam_role')).toEqual({});
    });
  });

  describe('also to CloudWatch Logs', () => {
    const json = flowLogs({ toCloudWatch: true, retentionDays: 365 });
    const key = resourcesOf(json, 'aws_kms_key').flow_logs_key;

    it('encrypts the log group with a rotating key of its own and keeps it for the retention', () => {
      expect(resourcesOf(json, 'aws_cloudwatch_log_group').flow_logs_log_group).toEqual(
        expect.objectContaining({ name: '/vpc/flow-logs/dev', retention_in_days: 365, kms_key_id: '${aws_kms_key.flow_logs_key.arn}' }),
      );
      expect(key.enable_key_rotation).toBe(true);
    });

    it('lets CloudWatch Logs of the region use the key for this log group only', () => {
      const statement = JSON.parse(key.policy).Statement.find((s: any) => s.Principal.Service);
      expect(statement.Principal.Service).toBe('logs.eu-west-1.amazonaws.com');
      expect(statement.Condition.ArnLike['kms:EncryptionContext:aws:logs:arn']).toBe('arn:aws:logs:eu-west-1:510987654321:log-group:/vpc/flow-logs/dev');
    });

    it('delivers through a role trusted by the flow-logs service of this account only', () => {
      const role = resourcesOf(json, 'aws_iam_role').flow_logs_role;
      const trust = JSON.parse(role.assume_role_policy).Statement[0];
      expect(trust.Principal.Service).toBe('vpc-flow-logs.amazonaws.com');
      expect(trust.Condition.StringEquals['aws:SourceAccount']).toBe('510987654321');
      expect(resourcesOf(json, 'aws_flow_log').flow_logs_cloudwatch).toEqual(
        expect.objectContaining({ traffic_type: 'ALL', log_destination_type: 'cloud-watch-logs', iam_role_arn: '${aws_iam_role.flow_logs_role.arn}' }),
      );
    });
  });

  describe('misuse', () => {
    it.each([
      [{ maxAggregationSeconds: 300 }, /maxAggregationSeconds must be 60 or 600; got 300/],
      [{ toCloudWatch: true }, /retentionDays must be a CloudWatch Logs retention .* when toCloudWatch is true; got undefined/],
      [{ toCloudWatch: true, retentionDays: 100 }, /retentionDays must be a CloudWatch Logs retention .*got 100/],
    ])('rejects %j', (props, message) => {
      expect(() => flowLogs(props)).toThrow(message);
    });
  });
});
