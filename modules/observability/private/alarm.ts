/** One CloudWatch metric alarm from a compact spec: a single metric, or metric math over several. */
import type { Construct } from 'constructs';
import type { ITerraformDependable, TerraformProvider } from 'cdktf';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import type { AlertSeverity } from '../../core/shared-names';
import { ALARM_PERIOD_SECONDS } from '../defaults';

export type Comparison =
  | 'GreaterThanThreshold'
  | 'GreaterThanOrEqualToThreshold'
  | 'LessThanThreshold'
  | 'LessThanOrEqualToThreshold';

/**
 * What an alarm does without data, chosen per alarm: `breaching` where silence means the
 * watched thing is gone, `notBreaching` where silence means nothing happened (no errors,
 * no traffic), `missing` where the last state should hold (instances stopped on purpose).
 */
export type MissingData = 'breaching' | 'notBreaching' | 'missing' | 'ignore';

export interface MetricSpec {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
  /** `Sum`, `Average`, `Maximum`, `Minimum` or a percentile such as `p99`. */
  readonly statistic: string;
}

export interface AlarmSpec {
  /** Construct id below the alarm's scope (`cpu_high`). */
  readonly check: string;
  /** CloudWatch alarm name, unique in the account and region. */
  readonly alarmName: string;
  readonly description: string;
  readonly severity: AlertSeverity;
  readonly comparison: Comparison;
  readonly threshold: number;
  readonly evaluationPeriods: number;
  readonly treatMissingData: MissingData;
  /** A single metric ... */
  readonly metric?: MetricSpec;
  /** ... or metric math over `metrics` (ids m1, m2, ...). */
  readonly expression?: { readonly expression: string; readonly label: string; readonly metrics: Readonly<Record<string, MetricSpec>> };
  /** Actions besides the topic (EC2 recover / reboot). */
  readonly extraAlarmActions?: readonly string[];
  readonly periodSeconds?: number;
}

const PERCENTILE = /^p\d{1,2}(\.\d+)?$/;

/** The alarm notifies `topicArns` when it fires and when it recovers. */
export function metricAlarm(
  scope: Construct,
  spec: AlarmSpec,
  topicArns: readonly string[],
  provider?: TerraformProvider,
  dependsOn?: ITerraformDependable[],
): CloudwatchMetricAlarm {
  const period = spec.periodSeconds ?? ALARM_PERIOD_SECONDS;
  const common = {
    provider,
    dependsOn,
    alarmName: spec.alarmName,
    alarmDescription: `[${spec.severity}] ${spec.description}`,
    comparisonOperator: spec.comparison,
    threshold: spec.threshold,
    evaluationPeriods: spec.evaluationPeriods,
    datapointsToAlarm: spec.evaluationPeriods,
    treatMissingData: spec.treatMissingData,
    alarmActions: [...topicArns, ...(spec.extraAlarmActions ?? [])],
    okActions: [...topicArns],
  };
  if (spec.metric) {
    return new CloudwatchMetricAlarm(scope, spec.check, {
      ...common,
      namespace: spec.metric.namespace,
      metricName: spec.metric.metricName,
      dimensions: Object.keys(spec.metric.dimensions).length > 0 ? { ...spec.metric.dimensions } : undefined,
      period,
      ...statisticOf(spec.metric.statistic),
    });
  }
  if (!spec.expression) throw new Error(`alarm ${spec.alarmName}: give either metric or expression`);
  return new CloudwatchMetricAlarm(scope, spec.check, {
    ...common,
    metricQuery: [
      { id: 'e1', expression: spec.expression.expression, label: spec.expression.label, returnData: true },
      ...Object.entries(spec.expression.metrics).map(([id, metric]) => ({
        id,
        returnData: false,
        metric: {
          namespace: metric.namespace,
          metricName: metric.metricName,
          dimensions: { ...metric.dimensions },
          period,
          stat: metric.statistic,
        },
      })),
    ],
  });
}

function statisticOf(statistic: string): { statistic?: string; extendedStatistic?: string } {
  return PERCENTILE.test(statistic) ? { extendedStatistic: statistic } : { statistic };
}
