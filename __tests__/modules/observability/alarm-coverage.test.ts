import { Aspects, Testing } from 'cdktf';
import { Construct } from 'constructs';
import { EcsCluster } from '@cdktf/provider-aws/lib/ecs-cluster';
import { EcsService } from '@cdktf/provider-aws/lib/ecs-service';
import { Lb } from '@cdktf/provider-aws/lib/lb';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import { LbListener } from '@cdktf/provider-aws/lib/lb-listener';
import { LbListenerRule } from '@cdktf/provider-aws/lib/lb-listener-rule';
import { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway';
import { Ec2TransitGatewayVpcAttachment } from '@cdktf/provider-aws/lib/ec2-transit-gateway-vpc-attachment';
import { SecretsmanagerSecretRotation } from '@cdktf/provider-aws/lib/secretsmanager-secret-rotation';
import { evaluateMetricMath } from '../../helpers/metric-math';
import { Wafv2WebAcl } from '@cdktf/provider-aws/lib/wafv2-web-acl';
import { Instance } from '@cdktf/provider-aws/lib/instance';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { AlarmCoverage, suppressAlarms } from '../../../modules/observability/alarm-coverage';
import { ALARM_THRESHOLDS } from '../../../modules/observability/defaults';
import type { LayerStack } from '../../../stacks/layer-stack';
import { newTestStack, resourcesOf, synthJson } from '../../helpers/platform';
import { alarmsWatchingNothing } from './alarm-targets';

const ROTATION_LAMBDA = 'arn:aws:lambda:eu-west-1:510987654321:function:rotate-db';

/** A stack holding one resource of every alarmable kind, as raw provider resources. */
function stackWithEverything(environment = 'dev'): LayerStack {
  const stack = newTestStack(environment, 'coverage');
  const cluster = new EcsCluster(stack, 'cluster', { name: 'main' });
  new EcsService(stack, 'service_api', { name: 'api', cluster: cluster.arn, desiredCount: 2 });
  const lb = new Lb(stack, 'alb', { name: 'public', loadBalancerType: 'application', subnets: ['subnet-1', 'subnet-2'] });
  const tgApi = new LbTargetGroup(stack, 'tg_api', { name: 'api', port: 8080, protocol: 'HTTP', vpcId: 'vpc-1', targetType: 'ip' });
  const tgWeb = new LbTargetGroup(stack, 'tg_web', { name: 'web', port: 8080, protocol: 'HTTP', vpcId: 'vpc-1', targetType: 'ip' });
  const listener = new LbListener(stack, 'https', {
    loadBalancerArn: lb.arn,
    port: 443,
    protocol: 'HTTPS',
    defaultAction: [{ type: 'forward', targetGroupArn: tgApi.arn }],
  });
  new LbListenerRule(stack, 'web_rule', {
    listenerArn: listener.arn,
    priority: 10,
    action: [{ type: 'forward', targetGroupArn: tgWeb.arn }],
    condition: [{ pathPattern: { values: ['/web/*'] } }],
  });
  new NatGateway(stack, 'nat_eu_west_1a', { subnetId: 'subnet-1', allocationId: 'eipalloc-1' });
  new Ec2TransitGatewayVpcAttachment(stack, 'attachment', { transitGatewayId: 'tgw-1', vpcId: 'vpc-1', subnetIds: ['subnet-1'] });
  new SecretsmanagerSecretRotation(stack, 'db_rotation', { secretId: 'secret-1', rotationLambdaArn: ROTATION_LAMBDA, rotationRules: { automaticallyAfterDays: 30 } });
  new Wafv2WebAcl(stack, 'waf', {
    name: 'public',
    scope: 'REGIONAL',
    defaultAction: { allow: {} },
    visibilityConfig: { cloudwatchMetricsEnabled: true, metricName: 'public-acl', sampledRequestsEnabled: true },
  });
  new Instance(stack, 'bastion', { ami: 'ami-12345678', instanceType: 't3.micro' });
  return stack;
}

function covered(stack: LayerStack): any {
  Aspects.of(stack).add(new AlarmCoverage({ environment: stack.environment }));
  return synthJson(stack);
}

const alarmsOf = (json: any) => resourcesOf(json, 'aws_cloudwatch_metric_alarm');

describe('AlarmCoverage', () => {
  describe('on a stack with every alarmable kind', () => {
    const json = covered(stackWithEverything());
    const alarms = alarmsOf(json);

    it.each([
      ['service_api', ['cpu_high', 'memory_high', 'tasks_below_desired']],
      ['alb', ['elb_5xx_rate', 'target_5xx_rate', 'p99_response_time']],
      ['tg_api', ['unhealthy_hosts', 'no_healthy_hosts']],
      ['tg_web', ['unhealthy_hosts', 'no_healthy_hosts']],
      ['nat_eu_west_1a', ['port_allocation_errors', 'packets_dropped']],
      ['attachment', ['packets_dropped']],
      ['db_rotation', ['rotation_errors']],
      ['waf', ['blocked_requests_spike']],
      ['bastion', ['status_check_system', 'status_check_instance']],
    ])('gives %s its default alarms %j in the same stack', (resource, checks) => {
      for (const check of checks) expect(alarms[`alarms_${resource}_${check}`]).toBeDefined();
    });

    it('creates no other alarm', () => expect(Object.keys(alarms)).toHaveLength(17));

    it('points every dimension at a resource of the same stack (no alarm watching nothing)', () => {
      expect(alarmsWatchingNothing(json)).toEqual([]);
    });

    it.each([
      ['service_api_cpu_high', { ClusterName: '${element(reverse(split("/", aws_ecs_service.service_api.cluster)), 0)}', ServiceName: '${aws_ecs_service.service_api.name}' }],
      ['alb_p99_response_time', { LoadBalancer: '${aws_lb.alb.arn_suffix}' }],
      ['tg_api_unhealthy_hosts', { TargetGroup: '${aws_lb_target_group.tg_api.arn_suffix}', LoadBalancer: '${aws_lb.alb.arn_suffix}' }],
      ['tg_web_no_healthy_hosts', { TargetGroup: '${aws_lb_target_group.tg_web.arn_suffix}', LoadBalancer: '${aws_lb.alb.arn_suffix}' }],
      ['nat_eu_west_1a_port_allocation_errors', { NatGatewayId: '${aws_nat_gateway.nat_eu_west_1a.id}' }],
      ['db_rotation_rotation_errors', { FunctionName: '${element(split(":", aws_secretsmanager_secret_rotation.db_rotation.rotation_lambda_arn), 6)}' }],
      // WAF publishes under visibility_config.metric_name (https://docs.aws.amazon.com/waf/latest/developerguide/waf-metrics.html).
      ['waf_blocked_requests_spike', { WebACL: 'public-acl', Rule: 'ALL', Region: 'eu-west-1' }],
      ['bastion_status_check_system', { InstanceId: '${aws_instance.bastion.id}' }],
    ])('alarm %s watches %j', (name, dimensions) => {
      expect(alarms[`alarms_${name}`].dimensions).toEqual(dimensions);
    });

    it('watches the Transit Gateway attachment by gateway and attachment id', () => {
      const metrics = alarms.alarms_attachment_packets_dropped.metric_query.filter((q: any) => q.metric).map((q: any) => q.metric);
      expect(metrics.map((m: any) => m.metric_name).sort()).toEqual(['PacketDropCountBlackhole', 'PacketDropCountNoRoute']);
      for (const metric of metrics) {
        expect(metric.dimensions).toEqual({
          TransitGateway: '${aws_ec2_transit_gateway_vpc_attachment.attachment.transit_gateway_id}',
          TransitGatewayAttachment: '${aws_ec2_transit_gateway_vpc_attachment.attachment.id}',
        });
      }
    });

    it.each([
      ['service_api_tasks_below_desired', 'breaching'],
      ['service_api_cpu_high', 'notBreaching'],
      ['alb_elb_5xx_rate', 'notBreaching'],
      ['tg_api_no_healthy_hosts', 'breaching'],
      ['bastion_status_check_system', 'missing'],
      ['db_rotation_rotation_errors', 'notBreaching'],
    ])('treats missing data of %s as %s', (name, treatment) => {
      expect(alarms[`alarms_${name}`].treat_missing_data).toBe(treatment);
    });

    it.each([
      ['service_api_tasks_below_desired', 'critical'],
      ['alb_elb_5xx_rate', 'critical'],
      ['service_api_cpu_high', 'warning'],
      ['nat_eu_west_1a_packets_dropped', 'warning'],
    ])('routes %s to the %s topic of the environment', (name, severity) => {
      const topic = `arn:aws:sns:eu-west-1:510987654321:dev-alerts-${severity}`;
      expect(alarms[`alarms_${name}`].alarm_actions).toEqual([topic]);
      expect(alarms[`alarms_${name}`].ok_actions).toEqual([topic]);
    });

    it('recovers an instance whose system status check fails, and reboots on instance check failure', () => {
      expect(alarms.alarms_bastion_status_check_system.alarm_actions).toContain('arn:aws:automate:eu-west-1:ec2:recover');
      expect(alarms.alarms_bastion_status_check_instance.alarm_actions).toContain('arn:aws:automate:eu-west-1:ec2:reboot');
    });

    it('names alarms by stack, resource and check', () => {
      expect(alarms.alarms_service_api_cpu_high.alarm_name).toBe('dev-coverage-service-api-cpu-high');
    });

    it('computes the 5xx rate as a percentage of requests', () => {
      const query = alarms.alarms_alb_elb_5xx_rate.metric_query;
      expect(query[0]).toMatchObject({ id: 'e1', return_data: true });
      expect(query.map((q: any) => q.metric?.metric_name).filter(Boolean)).toEqual(['HTTPCode_ELB_5XX_Count', 'RequestCount']);
      expect(evaluateMetricMath(query[0].expression, { m1: 5, m2: 95 })).toBeCloseTo(5);
    });

    // RequestCount counts only requests for which the load balancer could choose a target
    // (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html):
    // with no healthy target every request is an ELB 503 and RequestCount reports nothing.
    it.each([
      ['a total outage (ELB 5xx only, no RequestCount)', { m1: 200, m2: undefined }, 100],
      ['a quiet period (no data at all)', { m1: undefined, m2: undefined }, 0],
      ['traffic without errors', { m1: undefined, m2: 1000 }, 0],
    ])('the ELB 5xx rate on %s', (_what, values, expected) => {
      const expression = alarms.alarms_alb_elb_5xx_rate.metric_query[0].expression;
      expect(evaluateMetricMath(expression, values)).toBe(expected);
      if (expected === 100) expect(expected).toBeGreaterThan(alarms.alarms_alb_elb_5xx_rate.threshold);
    });
  });

  describe('thresholds by tier', () => {
    it.each(['dev', 'prod'] as const)('uses the %s thresholds', (tier) => {
      const alarms = alarmsOf(covered(stackWithEverything(tier)));
      const t = ALARM_THRESHOLDS[tier];
      expect(alarms.alarms_service_api_cpu_high.threshold).toBe(t.ecsCpuPercent);
      expect(alarms.alarms_alb_elb_5xx_rate.threshold).toBe(t.alb5xxPercent);
      expect(alarms.alarms_alb_p99_response_time).toMatchObject({ threshold: t.targetResponseTimeP99Seconds, extended_statistic: 'p99' });
      expect(alarms.alarms_service_api_cpu_high.evaluation_periods).toBe(t.evaluationPeriods);
    });

    it('takes overrides of the config', () => {
      const stack = stackWithEverything();
      Aspects.of(stack).add(new AlarmCoverage({ environment: stack.environment, thresholds: { ecsCpuPercent: 42 } }));
      expect(alarmsOf(synthJson(stack)).alarms_service_api_cpu_high.threshold).toBe(42);
    });

    it('routes prod alarms to the prod topics', () => {
      const alarms = alarmsOf(covered(stackWithEverything('prod')));
      expect(alarms.alarms_alb_elb_5xx_rate.alarm_actions).toEqual(['arn:aws:sns:eu-west-1:710987654321:prod-alerts-critical']);
    });
  });

  describe('when an alarm cannot be derived', () => {
    function orphanTargetGroup(): LayerStack {
      const stack = newTestStack('dev', 'orphan');
      new LbTargetGroup(stack, 'tg_orphan', { name: 'orphan', port: 80, protocol: 'HTTP', vpcId: 'vpc-1' });
      return stack;
    }

    it('fails the synth for a target group no listener forwards to', () => {
      expect(() => covered(orphanTargetGroup())).toThrow(/dev-orphan: 1 alarmable resource has no alarm:\n  - aws_lb_target_group\.tg_orphan .*no aws_lb_listener/);
    });

    it('fails the synth for a secret rotated without a Lambda', () => {
      const stack = newTestStack('dev', 'managed');
      new SecretsmanagerSecretRotation(stack, 'managed_rotation', { secretId: 'secret-1', rotationRules: { automaticallyAfterDays: 7 } });
      expect(() => covered(stack)).toThrow(/aws_secretsmanager_secret_rotation\.managed_rotation .*managed rotation.*suppressAlarms/s);
    });

    it('accepts a suppression with a reason', () => {
      const stack = orphanTargetGroup();
      suppressAlarms(stack.node.findChild('tg_orphan'), 'blue/green spare, attached by the deploy pipeline only');
      expect(alarmsOf(covered(stack))).toEqual({});
    });

    it('applies a suppression on a parent construct to everything below it', () => {
      const stack = newTestStack('dev', 'parent');
      const group = new Construct(stack, 'experiments');
      new NatGateway(group, 'nat', { subnetId: 'subnet-1', allocationId: 'eipalloc-1' });
      suppressAlarms(group, 'throwaway experiment torn down nightly');
      expect(alarmsOf(covered(stack))).toEqual({});
    });

    it('suppresses only the listed checks', () => {
      const stack = newTestStack('dev', 'partial');
      const nat = new NatGateway(stack, 'nat', { subnetId: 'subnet-1', allocationId: 'eipalloc-1' });
      suppressAlarms(nat, 'drops are expected: egress filtering by design', ['packets_dropped']);
      expect(Object.keys(alarmsOf(covered(stack)))).toEqual(['alarms_nat_port_allocation_errors']);
    });

    it.each([[''], ['because']])('rejects the reason %j', (reason) => {
      const stack = newTestStack('dev', 'reason');
      expect(() => suppressAlarms(stack, reason)).toThrow(/reason ".*" is too short; say in a sentence why/);
    });
  });

  describe('the "watching nothing" check of these tests', () => {
    it.each([
      ['a literal id', { NatGatewayId: 'nat-0123' }, /NatGatewayId = nat-0123 references no resource/],
      ['a resource of another kind', { NatGatewayId: '${aws_lb.alb.id}' }, /references aws_lb, not one of aws_nat_gateway/],
      ['a resource missing from the stack', { NatGatewayId: '${aws_nat_gateway.gone.id}' }, /aws_nat_gateway.gone, which is not in the stack/],
    ])('catches an alarm on %s', (_situation, dimensions, problem) => {
      const stack = newTestStack('dev', 'bogus');
      new Lb(stack, 'alb', { name: 'public' });
      new CloudwatchMetricAlarm(stack, 'bogus', {
        alarmName: 'bogus',
        namespace: 'AWS/NATGateway',
        metricName: 'ErrorPortAllocation',
        dimensions,
        statistic: 'Sum',
        period: 300,
        evaluationPeriods: 1,
        threshold: 0,
        comparisonOperator: 'GreaterThanThreshold',
      });
      const json = JSON.parse(Testing.synth(stack));
      expect(alarmsWatchingNothing(json).join('\n')).toMatch(problem);
    });
  });

  it('adds nothing to a stack with no alarmable resource', () => {
    const stack = newTestStack('dev', 'empty');
    expect(alarmsOf(covered(stack))).toEqual({});
  });

  it('is idempotent when the stack is synthesized twice', () => {
    const stack = stackWithEverything();
    Aspects.of(stack).add(new AlarmCoverage({ environment: stack.environment }));
    Testing.synth(stack);
    expect(Object.keys(alarmsOf(synthJson(stack)))).toHaveLength(17);
  });
});
