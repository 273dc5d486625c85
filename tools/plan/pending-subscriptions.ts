/**
 * Alert subscriptions nobody confirmed. SNS delivers nothing to an email (or unauthenticated
 * https) subscription until its owner confirms it, and Terraform reports success all the same.
 * The drift check plans every stack with refresh, so the plan JSON's `prior_state` holds what AWS
 * reports for each `aws_sns_topic_subscription`, `pending_confirmation` included
 * (https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/sns_topic_subscription#pending_confirmation).
 *
 * `npm run --silent pending-subscriptions -- --plan <stack>=<plan.json> [--plan ...]`: prints a
 * Markdown report of the pending ones per stack; exit 0 when every subscription is confirmed,
 * 2 when some are pending (the drift workflow opens an issue), 1 when the input is wrong.
 */
import { readFileSync } from 'fs';
import { Command } from 'commander';
import { PlanToolError, PROCESS_IO, runTool, type ToolIo } from './cli-support';
import { parsePlanJson } from './plan-json';

/** Exit code when some subscription waits for confirmation. */
export const PENDING_EXIT_CODE = 2;

export interface PendingSubscription {
  readonly stack: string;
  readonly address: string;
  readonly topicArn: string;
  readonly protocol: string;
  readonly endpoint: string;
}

interface StateModule {
  readonly resources?: readonly { address: string; type: string; mode?: string; values?: Record<string, unknown> }[];
  readonly child_modules?: readonly StateModule[];
}

function* resourcesOf(module: StateModule | undefined): Generator<NonNullable<StateModule['resources']>[number]> {
  if (!module) return;
  for (const resource of module.resources ?? []) yield resource;
  for (const child of module.child_modules ?? []) yield* resourcesOf(child);
}

/** The subscriptions of a plan's refreshed prior state that AWS reports as pending confirmation. */
export function pendingSubscriptions(stack: string, planText: string, source: string): PendingSubscription[] {
  parsePlanJson(planText, source);
  const plan = JSON.parse(planText.replace(/^\uFEFF/, '')) as { prior_state?: { values?: { root_module?: StateModule } } };
  const found: PendingSubscription[] = [];
  for (const resource of resourcesOf(plan.prior_state?.values?.root_module)) {
    if (resource.type !== 'aws_sns_topic_subscription' || resource.mode === 'data') continue;
    const values = resource.values ?? {};
    if (values.pending_confirmation !== true) continue;
    found.push({
      stack,
      address: resource.address,
      topicArn: String(values.topic_arn ?? ''),
      protocol: String(values.protocol ?? ''),
      endpoint: String(values.endpoint ?? ''),
    });
  }
  return found.sort((a, b) => a.address.localeCompare(b.address));
}

/** The Markdown report: one line per pending subscription, and what the owner must do. */
export function pendingReport(pending: readonly PendingSubscription[]): string {
  if (pending.length === 0) return 'Every alert subscription is confirmed.\n';
  const lines = [
    `### ${pending.length} alert subscription${pending.length === 1 ? '' : 's'} not confirmed`,
    '',
    'SNS delivers nothing to these endpoints until their owners confirm: alerts are lost.',
    '',
    '| stack | subscription | topic | protocol | endpoint |',
    '| --- | --- | --- | --- | --- |',
    ...pending.map((p) => `| ${p.stack} | \`${p.address}\` | ${p.topicArn.split(':').pop()} | ${p.protocol} | ${p.endpoint} |`),
    '',
    'Confirm with the link of the "AWS Notification - Subscription Confirmation" email, or request a new one:',
    '`aws sns subscribe --topic-arn <topic ARN> --protocol email --notification-endpoint <address>`.',
    '',
  ];
  return lines.join('\n');
}

export async function main(argv: readonly string[], io: ToolIo = PROCESS_IO): Promise<number> {
  return runTool('pending-subscriptions', io, () => {
    const options = new Command('pending-subscriptions')
      .description('Report alert subscriptions that are still pending confirmation, from refreshed plan JSON')
      .requiredOption('--plan <stack=plan.json...>', 'plan JSON (terraform show -json) of a stack, planned with refresh')
      .exitOverride()
      .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
      .parse([...argv], { from: 'user' })
      .opts<{ plan: string[] }>();
    const pending: PendingSubscription[] = [];
    for (const entry of options.plan) {
      const at = entry.indexOf('=');
      if (at <= 0) throw new PlanToolError(`--plan "${entry}" must be <stack>=<plan.json>, for example dev-observability=.plans/dev-observability.json`);
      const file = entry.slice(at + 1);
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (error) {
        throw new PlanToolError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
      }
      pending.push(...pendingSubscriptions(entry.slice(0, at), text, file));
    }
    io.stdout(pendingReport(pending));
    return pending.length > 0 ? PENDING_EXIT_CODE : 0;
  });
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
