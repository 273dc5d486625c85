/**
 * Protected resources: objects whose loss loses data or breaks what everything else stands on.
 * apply.yml stops before applying a plan that destroys one (delete, or replace: the old object
 * is deleted) unless the pull request carries the ALLOW_DESTROY_LABEL label.
 *
 * A resource is protected when its type is in PROTECTED_RESOURCE_TYPES, or when the object being
 * destroyed carries the tag `protected = "true"` (any resource can opt in from its construct).
 * `prevent_destroy` needs no check here: Terraform refuses to plan destroying such an object while
 * its configuration exists, and once the configuration is gone the flag is gone with it, which
 * is exactly why the types list exists.
 *
 * `npm run --silent check-protected -- --plan <stack>=<plan.json>... [--labels a,b] [--protect-type T]`: exit 1 and
 * one line per protected destroy unless the labels allow it.
 */
import { Command } from 'commander';
import { PROCESS_IO, runTool, type ToolIo } from './cli-support';
import { parsePlanArgument } from './plan-comment';
import { addressOf, readPlanJsonFile, type JsonValue, type PlanJson } from './plan-json';

/** Label on the pull request that lets apply.yml destroy protected resources. */
export const ALLOW_DESTROY_LABEL = 'allow-destroy';
/** Tag that marks any resource protected. */
export const PROTECTED_TAG = 'protected';

/** Resource types whose objects hold data or carry other stacks (state, keys, secrets, images, logs, the network core). */
export const PROTECTED_RESOURCE_TYPES: readonly string[] = [
  'aws_s3_bucket',
  'aws_kms_key',
  'aws_dynamodb_table',
  'aws_secretsmanager_secret',
  'aws_ec2_transit_gateway',
  'aws_ecr_repository',
  'aws_db_instance',
  'aws_rds_cluster',
  'aws_efs_file_system',
  'aws_backup_vault',
  'aws_cloudwatch_log_group',
  'aws_iam_openid_connect_provider',
];

export interface ProtectionPolicy {
  readonly types: readonly string[];
  readonly tag: string;
}

export const DEFAULT_PROTECTION: ProtectionPolicy = { types: PROTECTED_RESOURCE_TYPES, tag: PROTECTED_TAG };

export interface ProtectedDestroy {
  readonly address: string;
  readonly type: string;
  /** `destroy` or `replace`. */
  readonly action: 'destroy' | 'replace';
  /** Why it is protected. */
  readonly reason: string;
}

function tagged(before: JsonValue | undefined, tag: string): boolean {
  if (!before || typeof before !== 'object' || Array.isArray(before)) return false;
  return ['tags_all', 'tags'].some((key) => {
    const tags = before[key];
    return !!tags && typeof tags === 'object' && !Array.isArray(tags) && String(tags[tag]).toLowerCase() === 'true';
  });
}

/** The protected objects a plan destroys (deletes or replaces), in address order. */
export function protectedDestroys(plan: PlanJson, policy: ProtectionPolicy = DEFAULT_PROTECTION): ProtectedDestroy[] {
  const found: ProtectedDestroy[] = [];
  for (const change of plan.resource_changes ?? []) {
    if (change.mode === 'data' || !change.change.actions.includes('delete')) continue;
    const byType = policy.types.includes(change.type);
    const byTag = tagged(change.change.before, policy.tag);
    if (!byType && !byTag) continue;
    const address = addressOf(change) + (change.deposed ? ` (deposed ${change.deposed})` : '');
    found.push({
      address,
      type: change.type,
      action: change.change.actions.includes('create') ? 'replace' : 'destroy',
      reason: byType ? `${change.type} is a protected type` : `tagged ${policy.tag}=true`,
    });
  }
  return found.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
}

/** Labels from `--labels`: comma- or newline-separated, or a JSON list (`toJSON(...labels.*.name)`). */
export function parseLabels(text: string): string[] {
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if (Array.isArray(parsed)) return parsed.map(String);
    } catch {
      // not JSON: fall through to the plain list
    }
  }
  return trimmed.split(/[,\n]/).map((label) => label.trim()).filter(Boolean);
}

export async function main(argv: readonly string[], io: ToolIo = PROCESS_IO): Promise<number> {
  return runTool('check-protected', io, () => {
    const options = new Command('check-protected')
      .description(`Fail when a plan destroys a protected resource, unless the pull request has the ${ALLOW_DESTROY_LABEL} label`)
      .requiredOption('--plan <stack=plan.json>', 'a stack and its plan JSON; repeatable', (value: string, previous: string[]) => [...previous, value], [])
      .option('--labels <labels>', 'labels of the pull request (comma-separated or a JSON list)', '')
      .option('--protect-type <type>', 'also protect this resource type; repeatable', (value: string, previous: string[]) => [...previous, value], [])
      .exitOverride()
      .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
      .parse([...argv], { from: 'user' })
      .opts<{ plan: string[]; labels: string; protectType: string[] }>();
    const policy = { ...DEFAULT_PROTECTION, types: [...DEFAULT_PROTECTION.types, ...options.protectType] };
    const allowed = parseLabels(options.labels).includes(ALLOW_DESTROY_LABEL);
    let count = 0;
    for (const arg of options.plan) {
      const { stack, file } = parsePlanArgument(arg);
      for (const hit of protectedDestroys(readPlanJsonFile(file), policy)) {
        count += 1;
        io.stdout(`${allowed ? 'allowed' : 'STOP'} ${stack}: ${hit.address} will be ${hit.action === 'replace' ? 'replaced' : 'destroyed'} (${hit.reason})\n`);
      }
    }
    if (count === 0) {
      io.stdout('no protected resource is destroyed\n');
      return 0;
    }
    if (allowed) {
      io.stdout(`${count} protected resource(s) will be destroyed: allowed by the ${ALLOW_DESTROY_LABEL} label\n`);
      return 0;
    }
    io.stderr(`check-protected: ${count} protected resource(s) would be destroyed; add the ${ALLOW_DESTROY_LABEL} label to the pull request if that is intended\n`);
    return 1;
  });
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
