/**
 * Route 53 health checks of an environment's public endpoints (HTTPS, the configured path,
 * from Route 53's checker regions) and an alarm on each. Route 53 publishes health-check
 * metrics in us-east-1 only, so the alarms (and the topic they notify) live there: pass the
 * us-east-1 provider and a topic of that region.
 */
import { Construct } from 'constructs';
import type { ITerraformDependable, TerraformProvider } from 'cdktf';
import { Route53HealthCheck } from '@cdktf/provider-aws/lib/route53-health-check';
import { metricAlarm } from './private/alarm';
import { terraformId } from '../core/naming';
import type { EndpointSettings } from './settings';

export interface EndpointChecksProps {
  /** Environment name (alarm names). */
  readonly environment: string;
  readonly endpoints: readonly EndpointSettings[];
  /** Topic in us-east-1 the alarms notify. */
  readonly topicArn: string;
  /** Provider of us-east-1. @default - the stack's default provider (an environment in us-east-1) */
  readonly alarmProvider?: TerraformProvider;
  /** What the alarms wait for (the topic of the same stack). @default - nothing */
  readonly alarmsDependOn?: ITerraformDependable[];
}

export class EndpointChecks extends Construct {
  readonly healthChecks: Record<string, Route53HealthCheck> = {};

  constructor(scope: Construct, id: string, props: EndpointChecksProps) {
    const names = props.endpoints.map((endpoint) => endpoint.name);
    const duplicate = names.find((name, index) => names.indexOf(name) !== index);
    if (duplicate) throw new Error(`EndpointChecks ${id}: endpoint "${duplicate}" is listed twice; endpoint names must be unique`);
    super(scope, id);
    for (const endpoint of props.endpoints) {
      const group = new Construct(this, terraformId(endpoint.name));
      const check = new Route53HealthCheck(group, 'Resource', {
        type: 'HTTPS',
        fqdn: endpoint.fqdn,
        port: endpoint.port,
        resourcePath: endpoint.resourcePath,
        failureThreshold: endpoint.failureThreshold,
        requestInterval: endpoint.requestIntervalSeconds,
        enableSni: true,
        measureLatency: true,
        tags: { Name: `${props.environment}-${endpoint.name}` },
      });
      this.healthChecks[endpoint.name] = check;
      metricAlarm(
        group,
        {
          check: 'unhealthy',
          alarmName: `${props.environment}-endpoint-${endpoint.name}-unhealthy`,
          description: `${endpoint.url} fails its Route 53 health check`,
          severity: 'critical',
          comparison: 'LessThanThreshold',
          threshold: 1,
          evaluationPeriods: 1,
          periodSeconds: 60,
          // Route 53 reports every minute while the check exists: silence means the check (or the metric) is gone.
          treatMissingData: 'breaching',
          metric: { namespace: 'AWS/Route53', metricName: 'HealthCheckStatus', dimensions: { HealthCheckId: check.id }, statistic: 'Minimum' },
        },
        [props.topicArn],
        props.alarmProvider,
        props.alarmsDependOn,
      );
    }
  }
}
