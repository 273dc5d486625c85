/**
 * "No alarm watching nothing", read from synthesized JSON: every metric of every alarm must
 * point at a resource of the same stack, of a type its namespace belongs to, through its
 * dimensions (or, for metric-filter metrics, at a metric filter of the stack publishing it).
 */

import { metricsOf } from '../../helpers/alarm-contracts';

/** Which resource types a namespace's dimensions may reference. */
export const NAMESPACE_RESOURCES: Readonly<Record<string, readonly string[]>> = {
  'AWS/ECS': ['aws_ecs_service', 'aws_ecs_cluster'],
  'ECS/ContainerInsights': ['aws_ecs_service', 'aws_ecs_cluster'],
  'AWS/ApplicationELB': ['aws_lb', 'aws_lb_target_group'],
  'AWS/NetworkELB': ['aws_lb', 'aws_lb_target_group'],
  'AWS/NATGateway': ['aws_nat_gateway'],
  'AWS/TransitGateway': ['aws_ec2_transit_gateway_vpc_attachment', 'aws_ec2_transit_gateway'],
  'AWS/Lambda': ['aws_secretsmanager_secret_rotation', 'aws_lambda_function'],
  'AWS/WAFV2': ['aws_wafv2_web_acl'],
  'AWS/EC2': ['aws_instance', 'aws_autoscaling_group'],
  'AWS/AutoScaling': ['aws_autoscaling_group'],
  'AWS/Route53': ['aws_route53_health_check'],
  'AWS/Backup': ['aws_backup_vault'],
};

/** Dimensions whose literal value is fine (they name no resource). */
const LITERAL_DIMENSIONS = new Set(['Rule', 'Region', 'ResourceType']);

/** Problems found in one stack's JSON; empty when every alarm watches something that exists. */
export function alarmsWatchingNothing(json: any): string[] {
  const resources = json.resource ?? {};
  const problems: string[] = [];
  const filters = Object.values(resources.aws_cloudwatch_log_metric_filter ?? {}).map((filter: any) => filter.metric_transformation);
  for (const [name, alarm] of Object.entries<any>(resources.aws_cloudwatch_metric_alarm ?? {})) {
    for (const metric of metricsOf(alarm)) {
      const where = `aws_cloudwatch_metric_alarm.${name} (${metric.namespace} ${metric.metricName})`;
      const types = NAMESPACE_RESOURCES[metric.namespace];
      if (!types) {
        const published = filters.some((t: any) => t.namespace === metric.namespace && t.name === metric.metricName);
        if (!published) problems.push(`${where}: no metric filter of the stack publishes it`);
        continue;
      }
      const dimensions = Object.entries(metric.dimensions);
      if (dimensions.length === 0) problems.push(`${where}: no dimension`);
      for (const [key, value] of dimensions) {
        if (LITERAL_DIMENSIONS.has(key)) continue;
        if (metric.namespace === 'AWS/Backup' && key === 'BackupVaultName') {
          if (!Object.values<any>(resources.aws_backup_vault ?? {}).some((vault) => vault.name === value)) problems.push(`${where}: dimension BackupVaultName = ${value} names no aws_backup_vault of the stack`);
          continue;
        }
        if (metric.namespace === 'AWS/WAFV2' && key === 'WebACL') {
          // WAF publishes under the web ACL's visibility_config.metric_name.
          const published = Object.values<any>(resources.aws_wafv2_web_acl ?? {}).some((acl) => [acl.visibility_config].flat()[0]?.metric_name === value);
          if (!published) problems.push(`${where}: dimension WebACL = ${value} is the visibility_config.metric_name of no aws_wafv2_web_acl of the stack`);
          continue;
        }
        const refs = [...String(value).matchAll(/\b(aws_[a-z0-9_]+)\.([A-Za-z0-9_-]+)\.[a-z_]+/g)];
        if (refs.length === 0) problems.push(`${where}: dimension ${key} = ${value} references no resource`);
        for (const [, type, target] of refs) {
          if (!types.includes(type)) problems.push(`${where}: dimension ${key} references ${type}, not one of ${types.join(', ')}`);
          else if (!resources[type]?.[target]) problems.push(`${where}: dimension ${key} references ${type}.${target}, which is not in the stack`);
        }
      }
    }
  }
  return problems;
}
