/**
 * Alarm contracts: what AWS publishes, per namespace, and how each dimension value must be
 * derived from the resource the alarm watches. An alarm passes only when its namespace, metric
 * and dimension names are a row below and every dimension value resolves to a resource of the
 * same stack (or the literal AWS publishes). Each row cites the AWS metrics page it comes from.
 *
 * Missing data is a rule per kind of metric: a count of errors (or a utilisation) is quiet when
 * nothing happens, so no data is not breaching; a heartbeat (healthy hosts, running tasks, health
 * check status, completed backups) is silent when the thing is gone, so no data breaches;
 * EC2 status checks keep their last state (`missing`) while an instance is stopped.
 */

type Json = Record<string, any>;

/** How a dimension value is checked against the stack: `${<type>.<name>.<attribute>}` of a resource there, or a literal. */
type Resolver =
  | { readonly ref: readonly string[] } // e.g. ['aws_lb.arn_suffix']
  | { readonly literal: (value: string, stack: Json, region: string) => boolean; readonly what: string };

export type MissingDataKind = 'error-count' | 'heartbeat' | 'status-check';

interface NamespaceContract {
  /** The AWS page listing the metrics and dimensions. */
  readonly source: string;
  readonly metrics: Readonly<Record<string, MissingDataKind>>;
  /** Allowed dimension name sets (sorted names joined by ','). */
  readonly dimensionSets: readonly string[];
  readonly dimensions: Readonly<Record<string, Resolver>>;
}

const refs = (...targets: string[]): Resolver => ({ ref: targets });

export const ALARM_CONTRACTS: Readonly<Record<string, NamespaceContract>> = {
  'AWS/ECS': {
    source: 'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/available-metrics.html',
    metrics: { CPUUtilization: 'error-count', MemoryUtilization: 'error-count' },
    dimensionSets: ['ClusterName,ServiceName'],
    dimensions: { ClusterName: refs('aws_ecs_service.cluster', 'aws_ecs_cluster.name'), ServiceName: refs('aws_ecs_service.name') },
  },
  'ECS/ContainerInsights': {
    source: 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Container-Insights-metrics-ECS.html',
    metrics: { RunningTaskCount: 'heartbeat', DesiredTaskCount: 'heartbeat' },
    dimensionSets: ['ClusterName,ServiceName'],
    dimensions: { ClusterName: refs('aws_ecs_service.cluster', 'aws_ecs_cluster.name'), ServiceName: refs('aws_ecs_service.name') },
  },
  'AWS/ApplicationELB': {
    source: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html',
    metrics: {
      HTTPCode_ELB_5XX_Count: 'error-count',
      HTTPCode_Target_5XX_Count: 'error-count',
      RequestCount: 'error-count',
      TargetResponseTime: 'error-count',
      UnHealthyHostCount: 'error-count',
      HealthyHostCount: 'heartbeat',
    },
    dimensionSets: ['LoadBalancer', 'LoadBalancer,TargetGroup'],
    dimensions: { LoadBalancer: refs('aws_lb.arn_suffix'), TargetGroup: refs('aws_lb_target_group.arn_suffix') },
  },
  'AWS/NATGateway': {
    source: 'https://docs.aws.amazon.com/vpc/latest/userguide/vpc-nat-gateway-cloudwatch.html',
    metrics: { ErrorPortAllocation: 'error-count', PacketsDropCount: 'error-count' },
    dimensionSets: ['NatGatewayId'],
    dimensions: { NatGatewayId: refs('aws_nat_gateway.id') },
  },
  'AWS/TransitGateway': {
    source: 'https://docs.aws.amazon.com/vpc/latest/tgw/transit-gateway-cloudwatch-metrics.html',
    metrics: { PacketDropCountBlackhole: 'error-count', PacketDropCountNoRoute: 'error-count' },
    dimensionSets: ['TransitGateway,TransitGatewayAttachment'],
    dimensions: { TransitGateway: refs('aws_ec2_transit_gateway_vpc_attachment.transit_gateway_id'), TransitGatewayAttachment: refs('aws_ec2_transit_gateway_vpc_attachment.id') },
  },
  'AWS/Lambda': {
    source: 'https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html',
    metrics: { Errors: 'error-count' },
    dimensionSets: ['FunctionName'],
    dimensions: { FunctionName: refs('aws_secretsmanager_secret_rotation.rotation_lambda_arn', 'aws_lambda_function.function_name') },
  },
  'AWS/WAFV2': {
    source: 'https://docs.aws.amazon.com/waf/latest/developerguide/waf-metrics.html',
    metrics: { BlockedRequests: 'error-count' },
    dimensionSets: ['Region,Rule,WebACL', 'Rule,WebACL'],
    dimensions: {
      WebACL: {
        what: "the visibility_config.metric_name of a web ACL of the stack (WAF publishes under it, not the ACL's name)",
        literal: (value, stack) => Object.values<any>(stack.resource?.aws_wafv2_web_acl ?? {}).some((acl) => [acl.visibility_config].flat()[0]?.metric_name === value),
      },
      Rule: { what: 'ALL (the web ACL as a whole)', literal: (value) => value === 'ALL' },
      Region: { what: "the stack's region", literal: (value, _stack, region) => value === region },
    },
  },
  'AWS/EC2': {
    source: 'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/viewing_metrics_with_cloudwatch.html',
    metrics: { StatusCheckFailed_System: 'status-check', StatusCheckFailed_Instance: 'status-check', CPUUtilization: 'error-count' },
    dimensionSets: ['InstanceId', 'AutoScalingGroupName'],
    dimensions: { InstanceId: refs('aws_instance.id'), AutoScalingGroupName: refs('aws_autoscaling_group.name') },
  },
  'AWS/Route53': {
    source: 'https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/monitoring-health-check-metrics.html',
    metrics: { HealthCheckStatus: 'heartbeat' },
    dimensionSets: ['HealthCheckId'],
    dimensions: { HealthCheckId: refs('aws_route53_health_check.id') },
  },
  'AWS/Backup': {
    source: 'https://docs.aws.amazon.com/aws-backup/latest/devguide/cloudwatch.html',
    metrics: { NumberOfBackupJobsCompleted: 'heartbeat' },
    dimensionSets: ['BackupVaultName,ResourceType'],
    dimensions: {
      BackupVaultName: { what: 'the name of a backup vault of the stack', literal: (value, stack) => Object.values<any>(stack.resource?.aws_backup_vault ?? {}).some((vault) => vault.name === value) },
      ResourceType: { what: 'an AWS Backup resource type', literal: (value) => ['RDS', 'Aurora', 'DynamoDB', 'EFS', 'EBS', 'EC2', 'S3'].includes(value) },
    },
  },
};

/** What `treat_missing_data` each kind requires. */
export const MISSING_DATA_RULE: Readonly<Record<MissingDataKind, string>> = {
  'error-count': 'notBreaching',
  heartbeat: 'breaching',
  'status-check': 'missing',
};

export interface AlarmMetric {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Record<string, string>;
}

/** The metrics an alarm reads: its own, or those of its metric math. */
export function metricsOf(alarm: Json): AlarmMetric[] {
  if (alarm.metric_query) {
    return alarm.metric_query
      .filter((query: Json) => query.metric)
      .map((query: Json) => ({ namespace: query.metric.namespace, metricName: query.metric.metric_name, dimensions: query.metric.dimensions ?? {} }));
  }
  return [{ namespace: alarm.namespace, metricName: alarm.metric_name, dimensions: alarm.dimensions ?? {} }];
}

/** Region of the provider an alarm uses (its alias's region, or the default provider's). */
function regionOf(stack: Json, alarm: Json): string {
  const providers = [stack.provider?.aws ?? []].flat();
  const alias = typeof alarm.provider === 'string' ? alarm.provider.replace(/^aws\./, '') : undefined;
  return (providers.find((p: Json) => (alias ? p.alias === alias : p.alias === undefined)) ?? {}).region;
}

/** Every breach of the contracts in one stack's JSON; custom namespaces must be published by a metric filter of the stack. */
export function alarmContractProblems(stack: Json): string[] {
  const problems: string[] = [];
  const resources = stack.resource ?? {};
  const filters = Object.values<any>(resources.aws_cloudwatch_log_metric_filter ?? {}).map((filter) => filter.metric_transformation);
  for (const [name, alarm] of Object.entries<any>(resources.aws_cloudwatch_metric_alarm ?? {})) {
    const kinds = new Set<MissingDataKind>();
    for (const metric of metricsOf(alarm)) {
      const where = `aws_cloudwatch_metric_alarm.${name} (${metric.namespace} ${metric.metricName})`;
      const contract = ALARM_CONTRACTS[metric.namespace];
      if (!contract) {
        if (metric.namespace.startsWith('AWS/')) problems.push(`${where}: no contract row for namespace ${metric.namespace}; add it with its AWS metrics page`);
        else if (!filters.some((t: any) => [t].flat()[0]?.namespace === metric.namespace && [t].flat()[0]?.name === metric.metricName)) problems.push(`${where}: no metric filter of the stack publishes it`);
        else kinds.add('error-count');
        continue;
      }
      const kind = contract.metrics[metric.metricName];
      if (!kind) {
        problems.push(`${where}: ${metric.namespace} publishes no metric ${metric.metricName} we know of (${contract.source})`);
        continue;
      }
      kinds.add(kind);
      const names = Object.keys(metric.dimensions).sort().join(',');
      if (!contract.dimensionSets.includes(names)) problems.push(`${where}: dimensions {${names}} are not a set AWS publishes (${contract.dimensionSets.join(' | ')}; ${contract.source})`);
      for (const [key, value] of Object.entries(metric.dimensions)) {
        const resolver = contract.dimensions[key];
        if (!resolver) continue;
        if ('literal' in resolver) {
          if (!resolver.literal(String(value), stack, regionOf(stack, alarm))) problems.push(`${where}: dimension ${key} = ${value} is not ${resolver.what}`);
          continue;
        }
        const found = [...String(value).matchAll(/\b(aws_[a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([a-z_]+)/g)];
        const ok = found.length > 0 && found.every(([, type, target, attribute]) => resolver.ref.includes(`${type}.${attribute}`) && resources[type]?.[target] !== undefined);
        if (!ok) problems.push(`${where}: dimension ${key} = ${value} is not ${resolver.ref.map((r) => `\${${r.replace('.', '.<name>.')}}`).join(' or ')} of a resource of the stack`);
      }
    }
    const expected = kinds.has('heartbeat') ? 'heartbeat' : kinds.has('status-check') ? 'status-check' : kinds.size > 0 ? 'error-count' : undefined;
    if (expected && alarm.treat_missing_data !== MISSING_DATA_RULE[expected]) {
      problems.push(`aws_cloudwatch_metric_alarm.${name}: treat_missing_data is ${alarm.treat_missing_data}, but a ${expected} alarm needs ${MISSING_DATA_RULE[expected]}`);
    }
  }
  return problems;
}
