import { CAPACITY_STRATEGY, ContainerCluster, type ContainerClusterProps } from '../../../modules/containers';
import { newTestStack, resourcesOf, synthJson } from '../../helpers/platform';

function synthCluster(overrides: Partial<ContainerClusterProps> = {}) {
  const stack = newTestStack('dev');
  new ContainerCluster(stack, 'cluster', { clusterName: 'dev-platform', defaultStrategy: CAPACITY_STRATEGY.dev, ...overrides });
  return synthJson(stack);
}

describe('ContainerCluster', () => {
  describe('by default', () => {
    const json = synthCluster();
    const cluster = resourcesOf(json, 'aws_ecs_cluster').cluster;
    it('has Container Insights on and no ECS Exec configuration', () => {
      expect(cluster.setting).toEqual([{ name: 'containerInsights', value: 'enabled' }]);
      expect(cluster.configuration).toBeUndefined();
      expect(resourcesOf(json, 'aws_cloudwatch_log_group')).toEqual({});
    });
    it('registers FARGATE and FARGATE_SPOT with the tier strategy', () => {
      expect(resourcesOf(json, 'aws_ecs_cluster_capacity_providers').cluster_capacity_providers).toEqual(
        expect.objectContaining({
          capacity_providers: ['FARGATE', 'FARGATE_SPOT'],
          default_capacity_provider_strategy: CAPACITY_STRATEGY.dev.map((item) => ({ capacity_provider: item.capacityProvider, base: item.base, weight: item.weight })),
        }),
      );
    });
  });

  describe('capacity strategies by tier', () => {
    it('dev favours spot, prod keeps an on-demand base', () => {
      const weight = (tier: 'dev' | 'prod', provider: string) => CAPACITY_STRATEGY[tier].find((item) => item.capacityProvider === provider)!;
      expect(weight('dev', 'FARGATE_SPOT').weight).toBeGreaterThan(weight('dev', 'FARGATE').weight);
      expect(weight('prod', 'FARGATE').base).toBeGreaterThanOrEqual(1);
      expect(weight('prod', 'FARGATE_SPOT').base).toBe(0);
      expect(weight('prod', 'FARGATE').weight).toBeGreaterThan(weight('prod', 'FARGATE_SPOT').weight);
    });
  });

  describe('with ECS Exec', () => {
    const json = synthCluster({ execCommand: true, execKmsKeyArn: 'arn:aws:kms:eu-west-1:510987654321:key/logs', execLogRetentionDays: 30 });
    it('logs sessions to an encrypted log group', () => {
      expect(resourcesOf(json, 'aws_ecs_cluster').cluster.configuration.execute_command_configuration).toEqual({
        kms_key_id: 'arn:aws:kms:eu-west-1:510987654321:key/logs',
        logging: 'OVERRIDE',
        log_configuration: { cloud_watch_log_group_name: '${aws_cloudwatch_log_group.cluster_exec_log_group.name}', cloud_watch_encryption_enabled: true },
      });
      expect(resourcesOf(json, 'aws_cloudwatch_log_group').cluster_exec_log_group).toEqual(
        expect.objectContaining({ name: '/ecs/dev-platform/exec', retention_in_days: 30, kms_key_id: 'arn:aws:kms:eu-west-1:510987654321:key/logs' }),
      );
    });
  });

  describe('misuse', () => {
    it('refuses ECS Exec without an encrypted log group', () => {
      expect(() => synthCluster({ execCommand: true })).toThrow(/execCommand is true but execKmsKeyArn or execLogRetentionDays is missing/);
    });
    it('refuses a strategy naming an unregistered provider', () => {
      expect(() => synthCluster({ defaultStrategy: [{ capacityProvider: 'ec2-big', base: 0, weight: 1 }] })).toThrow(/defaultStrategy must name registered capacity providers \(FARGATE, FARGATE_SPOT\)/);
    });
  });
});
