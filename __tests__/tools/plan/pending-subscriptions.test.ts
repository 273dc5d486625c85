import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main, pendingReport, pendingSubscriptions, PENDING_EXIT_CODE } from '../../../tools/plan/pending-subscriptions';

/** Plan JSON as `terraform show -json` writes it after a refresh: prior_state holds what AWS reported. */
function planWith(subscriptions: Record<string, { pending: boolean; protocol?: string; endpoint?: string }>, nested = false): string {
  const resources = Object.entries(subscriptions).map(([name, s]) => ({
    address: `${nested ? 'module.stack.' : ''}aws_sns_topic_subscription.${name}`,
    mode: 'managed',
    type: 'aws_sns_topic_subscription',
    name,
    values: { topic_arn: 'arn:aws:sns:eu-west-1:510987654321:dev-alerts-critical', protocol: s.protocol ?? 'email', endpoint: s.endpoint ?? 'team@acme.example', pending_confirmation: s.pending },
  }));
  const module = nested ? { child_modules: [{ address: 'module.stack', resources }] } : { resources };
  return JSON.stringify({ format_version: '1.2', terraform_version: '1.11.4', resource_changes: [], prior_state: { format_version: '1.0', values: { root_module: module } } });
}

describe('pending-subscriptions', () => {
  it('lists the subscriptions AWS reports as pending confirmation, in child modules too', () => {
    const pending = pendingSubscriptions('dev-observability', planWith({ notify_team: { pending: true }, page_oncall: { pending: false, protocol: 'https' } }, true), 'plan.json');
    expect(pending).toEqual([
      { stack: 'dev-observability', address: 'module.stack.aws_sns_topic_subscription.notify_team', topicArn: 'arn:aws:sns:eu-west-1:510987654321:dev-alerts-critical', protocol: 'email', endpoint: 'team@acme.example' },
    ]);
    expect(pendingReport(pending)).toMatch(/1 alert subscription not confirmed[\s\S]*\| dev-observability \| `module.stack.aws_sns_topic_subscription.notify_team` \| dev-alerts-critical \| email \| team@acme.example \|/);
  });

  it('exits 2 with the report when one is pending, 0 when all are confirmed, 1 on bad input', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pending-subscriptions-'));
    const pendingFile = path.join(dir, 'pending.json');
    const confirmedFile = path.join(dir, 'confirmed.json');
    fs.writeFileSync(pendingFile, planWith({ notify_team: { pending: true } }));
    fs.writeFileSync(confirmedFile, planWith({ notify_team: { pending: false } }));
    const out: string[] = [];
    const err: string[] = [];
    const io = { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t) };
    expect(await main(['--plan', `dev-observability=${pendingFile}`, '--plan', `prod-observability=${confirmedFile}`], io)).toBe(PENDING_EXIT_CODE);
    expect(out.join('')).toMatch(/dev-observability/);
    expect(out.join('')).not.toMatch(/prod-observability/);
    expect(await main(['--plan', `prod-observability=${confirmedFile}`], io)).toBe(0);
    expect(await main(['--plan', confirmedFile], io)).toBe(1);
    expect(err.join('')).toMatch(/--plan ".*confirmed.json" must be <stack>=<plan.json>/);
  });
});
