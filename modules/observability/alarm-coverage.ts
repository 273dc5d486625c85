/**
 * Alarms by default. `AlarmCoverage` is an Aspect added to every stack: at synth it finds each
 * resource of an alarmable kind (ECS services, load balancers and target groups, NAT gateways,
 * Transit Gateway VPC attachments, rotated secrets, WAF web ACLs, EC2 instances) and adds its
 * default alarms in the SAME stack, with the resource's provider, thresholds of the
 * environment's tier (`observability.thresholds` over ALARM_THRESHOLDS), missing data treated
 * deliberately per alarm, and actions routed by severity to `alertTopicArn(env, severity)`.
 *
 * Every dimension references the watched resource (`${aws_lb.alb.arn_suffix}`), so no alarm
 * watches nothing. A resource whose alarms cannot be derived (a target group no listener of the
 * stack forwards to, a secret rotated without a Lambda) fails the synth unless
 * `suppressAlarms(construct, reason)` says why it needs none.
 *
 *   Aspects.of(stack).add(new AlarmCoverage({ environment: stack.environment }));
 */
import { Construct, type IConstruct } from 'constructs';
import { DefaultTokenResolver, Fn, StringConcat, TerraformResource, TerraformStack, Tokenization, type IAspect, type TerraformProvider } from 'cdktf';
import type { EnvironmentConfig } from '../../environments/schema';
import { alertTopicArn, type AlertSeverity } from '../core/shared-names';
import { metricAlarm, type AlarmSpec, type MetricSpec } from './private/alarm';
import type { AlarmThresholds } from './defaults';
import { observabilitySettings } from './settings';

/** Terraform types that get default alarms. */
export const ALARMABLE_TYPES = [
  'aws_ecs_service',
  'aws_lb',
  'aws_lb_target_group',
  'aws_nat_gateway',
  'aws_ec2_transit_gateway_vpc_attachment',
  'aws_secretsmanager_secret_rotation',
  'aws_wafv2_web_acl',
  'aws_instance',
] as const;
export type AlarmableType = (typeof ALARMABLE_TYPES)[number];

/** Construct id of the scope, directly below the stack, that holds the generated alarms. */
export const ALARMS_SCOPE_ID = 'alarms';

/** EC2 status checks are evaluated every minute. */
const STATUS_CHECK_PERIOD_SECONDS = 60;
const MIN_REASON_LENGTH = 10;

interface Suppression {
  readonly reason: string;
  /** Checks suppressed (`cpu_high`); undefined for all of them. */
  readonly checks?: readonly string[];
}

const suppressions = new WeakMap<IConstruct, Suppression>();

/**
 * Declares that the alarmable resources at or below `construct` need no default alarm (or not
 * the listed `checks`), for the written `reason`.
 */
export function suppressAlarms(construct: IConstruct, reason: string, checks?: readonly string[]): void {
  if (reason.trim().length < MIN_REASON_LENGTH) {
    throw new Error(
      `suppressAlarms(${construct.node.path}): reason "${reason}" is too short; say in a sentence why no alarm is needed (at least ${MIN_REASON_LENGTH} characters)`,
    );
  }
  if (checks && checks.length === 0) throw new Error(`suppressAlarms(${construct.node.path}): checks is empty; omit it to suppress every alarm`);
  suppressions.set(construct, { reason, checks });
}

function suppressionOf(construct: IConstruct): Suppression | undefined {
  for (const scope of [...construct.node.scopes].reverse()) {
    const found = suppressions.get(scope);
    if (found) return found;
  }
  return undefined;
}

export interface AlarmCoverageProps {
  /** The environment whose thresholds and alert topics the alarms use. */
  readonly environment: EnvironmentConfig;
  /** Threshold overrides (tests). @default - the environment's settings */
  readonly thresholds?: Partial<AlarmThresholds>;
}

/** One resource of the stack with its configuration resolved to Terraform JSON. */
interface Indexed {
  readonly resource: TerraformResource;
  readonly type: string;
  readonly name: string;
  readonly config: Record<string, unknown>;
}

/** What a kind of resource yields: alarm specs, or why none could be derived. */
type Derived = { readonly specs: readonly AlarmSpec[] } | { readonly problem: string };

export class AlarmCoverage implements IAspect {
  private readonly environment: EnvironmentConfig;
  private readonly thresholds: AlarmThresholds;
  private readonly done = new WeakSet<TerraformStack>();

  constructor(props: AlarmCoverageProps) {
    this.environment = props.environment;
    this.thresholds = { ...observabilitySettings(props.environment).thresholds, ...props.thresholds };
  }

  visit(node: IConstruct): void {
    if (!TerraformStack.isStack(node) || this.done.has(node)) return;
    this.done.add(node);
    this.cover(node);
  }

  private cover(stack: TerraformStack): void {
    const resources = stack.node.findAll().filter((c): c is TerraformResource => TerraformResource.isTerraformResource(c));
    const index = (types: readonly string[]): Indexed[] =>
      resources
        .filter((resource) => types.includes(resource.terraformResourceType))
        .map((resource) => ({ resource, type: resource.terraformResourceType, name: resource.friendlyUniqueId, config: resolvedConfig(stack, resource) }));
    const alarmable = index(ALARMABLE_TYPES);
    if (alarmable.length === 0) return;
    const byAddress = new Map(index(['aws_lb', 'aws_lb_listener', 'aws_lb_listener_rule']).map((r) => [`${r.type}.${r.name}`, r]));
    const targetGroupLbs = targetGroupLoadBalancers([...byAddress.values()], byAddress);

    const uncovered: string[] = [];
    const covered = new Set<string>();
    let scope: Construct | undefined;
    const alarmsScope = () => (scope ??= (stack.node.tryFindChild(ALARMS_SCOPE_ID) as Construct | undefined) ?? new Construct(stack, ALARMS_SCOPE_ID));

    const ordered = [...alarmable].sort((a, b) => (a.type === 'aws_lb' ? 1 : 0) - (b.type === 'aws_lb' ? 1 : 0));
    for (const item of ordered) {
      const suppression = suppressionOf(item.resource);
      if (suppression && !suppression.checks) continue;
      const derived = this.derive(stack, item, byAddress, targetGroupLbs, covered);
      if ('problem' in derived) {
        uncovered.push(`${item.type}.${item.name} (${item.resource.node.path}): ${derived.problem}`);
        continue;
      }
      const specs = derived.specs.filter((spec) => !suppression?.checks?.includes(spec.check));
      if (specs.length === 0) continue;
      const group = new Construct(alarmsScope(), item.name);
      for (const spec of specs) metricAlarm(group, spec, [this.topicArn(spec.severity)], item.resource.provider);
      covered.add(`${item.type}.${item.name}`);
    }
    if (uncovered.length > 0) {
      throw new Error(
        `${stack.node.id}: ${uncovered.length} alarmable resource${uncovered.length === 1 ? ' has' : 's have'} no alarm:\n` +
          uncovered.map((line) => `  - ${line}`).join('\n') +
          `\nFix the resource, or call suppressAlarms(construct, '<why no alarm is needed>') from modules/observability.`,
      );
    }
  }

  private topicArn(severity: AlertSeverity): string {
    return alertTopicArn(this.environment, severity);
  }

  private derive(
    stack: TerraformStack,
    item: Indexed,
    byAddress: ReadonlyMap<string, Indexed>,
    targetGroupLbs: ReadonlyMap<string, string>,
    covered: ReadonlySet<string>,
  ): Derived {
    const t = this.thresholds;
    const attr = (name: string) => item.resource.getStringAttribute(name);
    const alarmName = (check: string) => `${stack.node.id}-${item.name.replace(/_/g, '-')}-${check.replace(/_/g, '-')}`;
    const spec = (check: string, rest: Omit<AlarmSpec, 'check' | 'alarmName' | 'evaluationPeriods'> & { evaluationPeriods?: number }): AlarmSpec => ({
      check,
      alarmName: alarmName(check),
      evaluationPeriods: t.evaluationPeriods,
      ...rest,
    });
    const what = `${item.type}.${item.name}`;

    switch (item.type as AlarmableType) {
      case 'aws_ecs_service': {
        const dimensions = { ClusterName: lastSegment(attr('cluster'), '/'), ServiceName: attr('name') };
        const ecs = (metricName: string, statistic = 'Average', namespace = 'AWS/ECS'): MetricSpec => ({ namespace, metricName, dimensions, statistic });
        return {
          specs: [
            spec('cpu_high', {
              description: `${what}: average CPU above ${t.ecsCpuPercent}%`,
              severity: 'warning',
              comparison: 'GreaterThanThreshold',
              threshold: t.ecsCpuPercent,
              treatMissingData: 'notBreaching', // no tasks, no CPU: tasks_below_desired covers that
              metric: ecs('CPUUtilization'),
            }),
            spec('memory_high', {
              description: `${what}: average memory above ${t.ecsMemoryPercent}%`,
              severity: 'warning',
              comparison: 'GreaterThanThreshold',
              threshold: t.ecsMemoryPercent,
              treatMissingData: 'notBreaching',
              metric: ecs('MemoryUtilization'),
            }),
            spec('tasks_below_desired', {
              description: `${what}: ${t.ecsTasksBelowDesired} or more tasks below the desired count (Container Insights must be on for the cluster)`,
              severity: 'critical',
              comparison: 'GreaterThanOrEqualToThreshold',
              threshold: t.ecsTasksBelowDesired,
              treatMissingData: 'breaching', // Container Insights silent: the service (or its metrics) is gone
              expression: {
                expression: 'm2 - m1',
                label: 'tasks below desired',
                metrics: {
                  m1: ecs('RunningTaskCount', 'Minimum', 'ECS/ContainerInsights'),
                  m2: ecs('DesiredTaskCount', 'Maximum', 'ECS/ContainerInsights'),
                },
              },
            }),
          ],
        };
      }
      case 'aws_lb': {
        const type = String(item.config.load_balancer_type ?? 'application');
        if (type === 'network') {
          return [...covered].some((address) => targetGroupLbs.get(address) === item.name)
            ? { specs: [] }
            : { problem: 'a network load balancer is watched through its target groups, and none of the stack forwards to it' };
        }
        if (type !== 'application') return { problem: `no default alarms for load_balancer_type "${type}"` };
        const dimensions = { LoadBalancer: attr('arn_suffix') };
        const elb = (metricName: string, statistic = 'Sum'): MetricSpec => ({ namespace: 'AWS/ApplicationELB', metricName, dimensions, statistic });
        return {
          specs: [
            spec('elb_5xx_rate', {
              description: `${what}: load-balancer 5xx above ${t.alb5xxPercent}% of requests`,
              severity: 'critical',
              comparison: 'GreaterThanThreshold',
              threshold: t.alb5xxPercent,
              treatMissingData: 'notBreaching', // no requests at all, no error rate
              // RequestCount counts only requests that reached a target choice, so the rate is over
              // requests + ELB 5xx: with no healthy target every request is a 503 and the rate is 100 %.
              // https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html
              expression: {
                expression: 'IF(FILL(m1, 0) + FILL(m2, 0) > 0, 100 * FILL(m1, 0) / (FILL(m1, 0) + FILL(m2, 0)), 0)',
                label: 'ELB 5xx %',
                metrics: { m1: elb('HTTPCode_ELB_5XX_Count'), m2: elb('RequestCount') },
              },
            }),
            spec('target_5xx_rate', {
              description: `${what}: target 5xx above ${t.target5xxPercent}% of requests`,
              severity: 'critical',
              comparison: 'GreaterThanThreshold',
              threshold: t.target5xxPercent,
              treatMissingData: 'notBreaching',
              expression: { expression: 'IF(FILL(m2, 0) > 0, 100 * FILL(m1, 0) / FILL(m2, 0), 0)', label: 'target 5xx %', metrics: { m1: elb('HTTPCode_Target_5XX_Count'), m2: elb('RequestCount') } },
            }),
            spec('p99_response_time', {
              description: `${what}: p99 target response time above ${t.targetResponseTimeP99Seconds} s`,
              severity: 'warning',
              comparison: 'GreaterThanThreshold',
              threshold: t.targetResponseTimeP99Seconds,
              treatMissingData: 'notBreaching', // no requests, no latency
              metric: elb('TargetResponseTime', 'p99'),
            }),
          ],
        };
      }
      case 'aws_lb_target_group': {
        const lbName = targetGroupLbs.get(what);
        if (!lbName) {
          return { problem: 'no aws_lb_listener or aws_lb_listener_rule of the same stack forwards to it, so its LoadBalancer dimension is unknown' };
        }
        const lb = byAddress.get(`aws_lb.${lbName}`)!;
        const namespace = lb.config.load_balancer_type === 'network' ? 'AWS/NetworkELB' : 'AWS/ApplicationELB';
        const dimensions = { TargetGroup: attr('arn_suffix'), LoadBalancer: lb.resource.getStringAttribute('arn_suffix') };
        return {
          specs: [
            spec('unhealthy_hosts', {
              description: `${what}: more than ${t.unhealthyHosts} unhealthy targets`,
              severity: 'warning',
              comparison: 'GreaterThanThreshold',
              threshold: t.unhealthyHosts,
              treatMissingData: 'notBreaching',
              metric: { namespace, metricName: 'UnHealthyHostCount', dimensions, statistic: 'Maximum' },
            }),
            spec('no_healthy_hosts', {
              description: `${what}: no healthy target`,
              severity: 'critical',
              comparison: 'LessThanThreshold',
              threshold: 1,
              treatMissingData: 'breaching', // reported every minute while attached: silence means nothing serves
              metric: { namespace, metricName: 'HealthyHostCount', dimensions, statistic: 'Minimum' },
            }),
          ],
        };
      }
      case 'aws_nat_gateway': {
        const dimensions = { NatGatewayId: attr('id') };
        return {
          specs: [
            spec('port_allocation_errors', {
              description: `${what}: more than ${t.natPortAllocationErrors} port allocation errors (source ports exhausted)`,
              severity: 'critical',
              comparison: 'GreaterThanThreshold',
              threshold: t.natPortAllocationErrors,
              treatMissingData: 'notBreaching',
              metric: { namespace: 'AWS/NATGateway', metricName: 'ErrorPortAllocation', dimensions, statistic: 'Sum' },
            }),
            spec('packets_dropped', {
              description: `${what}: more than ${t.natPacketsDropped} dropped packets`,
              severity: 'warning',
              comparison: 'GreaterThanThreshold',
              threshold: t.natPacketsDropped,
              treatMissingData: 'notBreaching',
              metric: { namespace: 'AWS/NATGateway', metricName: 'PacketsDropCount', dimensions, statistic: 'Sum' },
            }),
          ],
        };
      }
      case 'aws_ec2_transit_gateway_vpc_attachment': {
        const dimensions = { TransitGateway: attr('transit_gateway_id'), TransitGatewayAttachment: attr('id') };
        const tgw = (metricName: string): MetricSpec => ({ namespace: 'AWS/TransitGateway', metricName, dimensions, statistic: 'Sum' });
        return {
          specs: [
            spec('packets_dropped', {
              description: `${what}: more than ${t.tgwPacketsDropped} packets dropped (blackhole or no route)`,
              severity: 'warning',
              comparison: 'GreaterThanThreshold',
              threshold: t.tgwPacketsDropped,
              treatMissingData: 'notBreaching', // no traffic, no drops
              expression: {
                expression: 'FILL(m1, 0) + FILL(m2, 0)',
                label: 'dropped packets',
                metrics: { m1: tgw('PacketDropCountBlackhole'), m2: tgw('PacketDropCountNoRoute') },
              },
            }),
          ],
        };
      }
      case 'aws_secretsmanager_secret_rotation': {
        if (item.config.rotation_lambda_arn === undefined) {
          return { problem: 'rotated without a Lambda (managed rotation) publishes no metric; rely on the RotationFailed event rule and suppress with that reason' };
        }
        return {
          specs: [
            spec('rotation_errors', {
              description: `${what}: the rotation Lambda failed`,
              severity: 'critical',
              comparison: 'GreaterThanThreshold',
              threshold: 0,
              evaluationPeriods: 1,
              treatMissingData: 'notBreaching', // rotation runs on a schedule: no invocation, no error
              metric: {
                namespace: 'AWS/Lambda',
                metricName: 'Errors',
                dimensions: { FunctionName: Fn.element(Fn.split(':', attr('rotation_lambda_arn')), 6) },
                statistic: 'Sum',
              },
            }),
          ],
        };
      }
      case 'aws_wafv2_web_acl': {
        const cloudFront = item.config.scope === 'CLOUDFRONT';
        // WAF publishes under the web ACL's visibility_config.metric_name, not its name
        // (https://docs.aws.amazon.com/waf/latest/developerguide/waf-metrics.html).
        const visibility = [item.config.visibility_config].flat()[0] as { metric_name?: unknown } | undefined;
        if (typeof visibility?.metric_name !== 'string') return { problem: 'its visibility_config.metric_name (the WebACL dimension WAF publishes) is unknown' };
        const dimensions: Record<string, string> = {
          WebACL: visibility.metric_name,
          Rule: 'ALL',
          ...(cloudFront ? {} : { Region: regionOf(item.resource.provider, this.environment.region) }),
        };
        return {
          specs: [
            spec('blocked_requests_spike', {
              description: `${what}: more than ${t.wafBlockedRequests} blocked requests (an attack, or a rule blocking real users)`,
              severity: 'warning',
              comparison: 'GreaterThanThreshold',
              threshold: t.wafBlockedRequests,
              treatMissingData: 'notBreaching', // nothing blocked, no datapoint
              metric: { namespace: 'AWS/WAFV2', metricName: 'BlockedRequests', dimensions, statistic: 'Sum' },
            }),
          ],
        };
      }
      case 'aws_instance': {
        const dimensions = { InstanceId: attr('id') };
        const region = regionOf(item.resource.provider, this.environment.region);
        return {
          specs: [
            spec('status_check_system', {
              description: `${what}: system status check failed; EC2 recovers the instance on healthy hardware`,
              severity: 'critical',
              comparison: 'GreaterThanOrEqualToThreshold',
              threshold: 1,
              evaluationPeriods: 2,
              periodSeconds: STATUS_CHECK_PERIOD_SECONDS,
              treatMissingData: 'missing', // a stopped instance reports nothing: keep the last state
              metric: { namespace: 'AWS/EC2', metricName: 'StatusCheckFailed_System', dimensions, statistic: 'Maximum' },
              extraAlarmActions: [`arn:aws:automate:${region}:ec2:recover`],
            }),
            spec('status_check_instance', {
              description: `${what}: instance status check failed; EC2 reboots the instance`,
              severity: 'warning',
              comparison: 'GreaterThanOrEqualToThreshold',
              threshold: 1,
              evaluationPeriods: 3,
              periodSeconds: STATUS_CHECK_PERIOD_SECONDS,
              treatMissingData: 'missing',
              metric: { namespace: 'AWS/EC2', metricName: 'StatusCheckFailed_Instance', dimensions, statistic: 'Maximum' },
              extraAlarmActions: [`arn:aws:automate:${region}:ec2:reboot`],
            }),
          ],
        };
      }
    }
    return { problem: `unknown type ${item.type}` };
  }
}

/** The stack's resolved Terraform JSON of one resource (`${aws_x.y.attr}` strings for references). */
function resolvedConfig(stack: TerraformStack, resource: TerraformResource): Record<string, unknown> {
  try {
    const json = Tokenization.resolve(resource.toTerraform(), { scope: stack, resolver: new DefaultTokenResolver(new StringConcat()), preparing: false }) as { resource?: Record<string, Record<string, Record<string, unknown>>> };
    return json.resource?.[resource.terraformResourceType]?.[resource.friendlyUniqueId] ?? {};
  } catch {
    return {};
  }
}

/**
 * `aws_lb_target_group.<name>` -> name of the `aws_lb` a listener (or a listener rule's
 * listener) forwards it from. The first load balancer by name wins when there are several.
 */
function targetGroupLoadBalancers(items: readonly Indexed[], byAddress: ReadonlyMap<string, Indexed>): Map<string, string> {
  const result = new Map<string, string>();
  const refs = (value: unknown, type: string, attribute: string): string[] => {
    const pattern = new RegExp(`\\$\\{${type}\\.([A-Za-z0-9_-]+)\\.${attribute}\\}`, 'g');
    return [...JSON.stringify(value ?? null).matchAll(pattern)].map((match) => match[1]);
  };
  const lbOfListener = (listener: Indexed | undefined) => (listener ? refs(listener.config.load_balancer_arn, 'aws_lb', '(?:arn|id)')[0] : undefined);
  const claim = (targetGroups: readonly string[], lb: string | undefined) => {
    if (!lb || !byAddress.has(`aws_lb.${lb}`)) return;
    for (const tg of targetGroups) {
      const key = `aws_lb_target_group.${tg}`;
      const current = result.get(key);
      if (current === undefined || lb < current) result.set(key, lb);
    }
  };
  for (const item of items) {
    if (item.type === 'aws_lb_listener') claim(refs(item.config.default_action, 'aws_lb_target_group', '(?:arn|id)'), lbOfListener(item));
    if (item.type === 'aws_lb_listener_rule') {
      const listener = refs(item.config.listener_arn, 'aws_lb_listener', '(?:arn|id)')[0];
      claim(refs(item.config.action, 'aws_lb_target_group', '(?:arn|id)'), lbOfListener(listener ? byAddress.get(`aws_lb_listener.${listener}`) : undefined));
    }
  }
  return result;
}

/** The part after the last `separator` (a cluster name out of a cluster ARN, or the name itself). */
function lastSegment(value: string, separator: string): string {
  return Fn.element(Fn.reverse(Fn.split(separator, value)), 0);
}

function regionOf(provider: TerraformProvider | undefined, fallback: string): string {
  const region = (provider as { region?: unknown } | undefined)?.region;
  return typeof region === 'string' && !region.includes('${') ? region : fallback;
}
