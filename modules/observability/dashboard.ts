/**
 * The CloudWatch dashboard of an environment, generated from the same service list as the
 * container platform (`env.services`): one row per service (CPU, memory, running tasks), then
 * the environment's load balancers, NAT gateways and Transit Gateway attachments. Widgets use
 * SEARCH expressions by service name, so the dashboard needs no reference to the platform stack.
 */
import { Construct } from 'constructs';
import { CloudwatchDashboard } from '@cdktf/provider-aws/lib/cloudwatch-dashboard';
import { terraformJson } from '../core/terraform-json';
import { ALARM_PERIOD_SECONDS } from './defaults';

export interface EnvironmentDashboardProps {
  readonly environment: string;
  readonly region: string;
  /** Container services, in display order. @default - none (infrastructure rows only) */
  readonly serviceNames?: readonly string[];
}

const WIDTH = 8;
const HEIGHT = 6;

interface Widget {
  readonly type: 'metric' | 'text';
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly properties: Record<string, unknown>;
}

export class EnvironmentDashboard extends Construct {
  readonly dashboard: CloudwatchDashboard;

  constructor(scope: Construct, id: string, props: EnvironmentDashboardProps) {
    const names = props.serviceNames ?? [];
    const bad = names.find((name) => !/^[A-Za-z0-9_-]+$/.test(name));
    if (bad !== undefined) throw new Error(`EnvironmentDashboard ${id}: service name "${bad}" cannot be used in a SEARCH expression; use letters, digits, - and _`);
    super(scope, id);
    const widgets: Widget[] = [];
    let y = 0;
    const row = (title: string, charts: readonly { title: string; expression: string; stat?: string }[]) => {
      widgets.push({ type: 'text', x: 0, y, width: 24, height: 1, properties: { markdown: `## ${title}` } });
      y += 1;
      charts.forEach((chart, index) =>
        widgets.push({
          type: 'metric',
          x: index * WIDTH,
          y,
          width: WIDTH,
          height: HEIGHT,
          properties: {
            title: chart.title,
            region: props.region,
            view: 'timeSeries',
            period: ALARM_PERIOD_SECONDS,
            metrics: [[{ expression: chart.expression, id: 'e1', label: chart.title }]],
          },
        }),
      );
      y += HEIGHT;
    };
    const search = (schema: string, filter: string, stat: string) => `SEARCH('{${schema}} ${filter}', '${stat}', ${ALARM_PERIOD_SECONDS})`;

    for (const name of names) {
      const service = `ServiceName="${name}"`;
      row(`Service ${name}`, [
        { title: `${name} CPU %`, expression: search('AWS/ECS,ClusterName,ServiceName', `${service} MetricName="CPUUtilization"`, 'Average') },
        { title: `${name} memory %`, expression: search('AWS/ECS,ClusterName,ServiceName', `${service} MetricName="MemoryUtilization"`, 'Average') },
        { title: `${name} running tasks`, expression: search('ECS/ContainerInsights,ClusterName,ServiceName', `${service} MetricName="RunningTaskCount"`, 'Average') },
      ]);
    }
    row('Load balancers', [
      { title: 'ALB 5xx', expression: search('AWS/ApplicationELB,LoadBalancer', 'MetricName="HTTPCode_ELB_5XX_Count"', 'Sum') },
      { title: 'Target 5xx', expression: search('AWS/ApplicationELB,LoadBalancer', 'MetricName="HTTPCode_Target_5XX_Count"', 'Sum') },
      { title: 'Target response time p99', expression: search('AWS/ApplicationELB,LoadBalancer', 'MetricName="TargetResponseTime"', 'p99') },
    ]);
    row('Network', [
      { title: 'NAT port allocation errors', expression: search('AWS/NATGateway,NatGatewayId', 'MetricName="ErrorPortAllocation"', 'Sum') },
      { title: 'NAT dropped packets', expression: search('AWS/NATGateway,NatGatewayId', 'MetricName="PacketsDropCount"', 'Sum') },
      { title: 'Transit Gateway dropped packets', expression: search('AWS/TransitGateway,TransitGateway,TransitGatewayAttachment', '(MetricName="PacketDropCountNoRoute" OR MetricName="PacketDropCountBlackhole")', 'Sum') },
    ]);

    this.dashboard = new CloudwatchDashboard(this, 'Resource', {
      dashboardName: `${props.environment}-overview`,
      dashboardBody: terraformJson({ widgets }),
    });
  }
}
