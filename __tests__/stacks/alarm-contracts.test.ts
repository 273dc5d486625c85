/**
 * Alarm contracts over every synthesized stack of the shipped platform: each alarm watches a
 * metric AWS publishes, under dimensions derived from the resource it watches, with missing data
 * handled as its kind requires (__tests__/helpers/alarm-contracts.ts holds the table and the pages).
 */
import { App, Testing } from 'cdktf';
import { buildPlatform } from '../../stacks/platform-app';
import type { LayerStack } from '../../stacks/layer-stack';
import { shippedPlatform } from '../helpers/platform';
import { alarmContractProblems } from '../helpers/alarm-contracts';

const app = Testing.app() as App;
const stacks = buildPlatform(app, shippedPlatform()).all as LayerStack[];
app.synth();
const synthesized = new Map(stacks.map((stack) => [stack.node.id, JSON.parse(Testing.synth(stack))]));

describe('alarm contracts', () => {
  it.each([...synthesized.keys()])('%s: every alarm watches what AWS publishes for the resource it watches', (name) => {
    expect(alarmContractProblems(synthesized.get(name))).toEqual([]);
  });

  it('covers alarms at all (the stacks have alarms of every shipped kind)', () => {
    const namespaces = new Set<string>();
    for (const json of synthesized.values()) {
      for (const alarm of Object.values<any>(json.resource?.aws_cloudwatch_metric_alarm ?? {})) {
        for (const metric of alarm.metric_query ? alarm.metric_query.filter((q: any) => q.metric).map((q: any) => q.metric) : [alarm]) namespaces.add(metric.namespace);
      }
    }
    expect([...namespaces].sort()).toEqual(['AWS/ApplicationELB', 'AWS/Backup', 'AWS/ECS', 'AWS/NATGateway', 'AWS/Route53', 'AWS/TransitGateway', 'AWS/WAFV2', 'ECS/ContainerInsights', 'Platform/Security']);
  });

  describe('the contract can fail', () => {
    const web = (overrides: Record<string, unknown>) => ({
      resource: {
        aws_wafv2_web_acl: { waf: { name: 'dev-platform', visibility_config: [{ metric_name: 'dev-platform-web-acl' }] } },
        aws_cloudwatch_metric_alarm: {
          blocked: { namespace: 'AWS/WAFV2', metric_name: 'BlockedRequests', dimensions: { WebACL: 'dev-platform-web-acl', Rule: 'ALL', Region: 'eu-west-1' }, treat_missing_data: 'notBreaching', ...overrides },
        },
      },
      provider: { aws: [{ region: 'eu-west-1' }] },
    });
    it.each([
      ['the web ACL name instead of its metric name (issue 24)', { dimensions: { WebACL: '${aws_wafv2_web_acl.waf.name}', Rule: 'ALL', Region: 'eu-west-1' } }, /dimension WebACL = .* is not the visibility_config.metric_name/],
      ['an error count breaching on silence', { treat_missing_data: 'breaching' }, /treat_missing_data is breaching, but a error-count alarm needs notBreaching/],
      ['a metric AWS does not publish', { metric_name: 'BlockedRequest' }, /publishes no metric BlockedRequest/],
      ['a dimension set AWS does not publish', { dimensions: { WebACL: 'dev-platform-web-acl' } }, /dimensions \{WebACL\} are not a set AWS publishes/],
    ])('reports %s', (_what, overrides, message) => {
      expect(alarmContractProblems(web(overrides)).join('\n')).toMatch(message);
    });
    it('accepts the correct alarm', () => {
      expect(alarmContractProblems(web({}))).toEqual([]);
    });
  });
});
