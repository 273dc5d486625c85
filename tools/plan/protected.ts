/**
 * check-protected: stop a plan that deletes or replaces (the old object is deleted) a resource
 * its construct declared protected (`protect()`, modules/core/protection.ts), unless the pull
 * request carries the label `allow-destroy:<environment>` of the stack's environment. There is no
 * other source of protection: no type list, no tag.
 *
 * The declarations come from the synthesized stacks, `"//".protection` of
 * `<synth dir>/stacks/<stack>/cdk.tf.json`. Pass the head commit's synth and the base commit's
 * (`--synth cdktf.out --synth base.out`): a resource a pull request deletes, or a stack it
 * removes, is only declared in the base. A stack with no record in any of them is an error,
 * never a pass: unknown protection is not "nothing protected".
 *
 * `npm run --silent check-protected -- --plan <stack>=<plan.json>... [--synth <dir>]... [--labels a,b]
 *  [--json <file>] [--markdown <file>]`: exit 1 and one line per refused destroy.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { PROTECTION_JSON_KEY, type ProtectionRecord } from '../../modules/core/protection';
import { PROCESS_IO, PlanToolError, runTool, type ToolIo } from './cli-support';
import { parsePlanArgument } from './plan-comment';
import { addressOf, readPlanJsonFile, type PlanJson } from './plan-json';

/** Prefix of the label that allows destroying protected resources of one environment. */
export const ALLOW_DESTROY_LABEL_PREFIX = 'allow-destroy:';
/** The label that no longer allows anything on its own (it named no environment). */
export const UNSCOPED_ALLOW_DESTROY_LABEL = 'allow-destroy';
/** Synth directory read when no `--synth` is given. */
export const DEFAULT_SYNTH_DIR = 'cdktf.out';

/** The label that lets a pull request destroy protected resources of `environment`. */
export function allowDestroyLabel(environment: string): string {
  return `${ALLOW_DESTROY_LABEL_PREFIX}${environment}`;
}

export interface ProtectedDestroy {
  readonly address: string;
  readonly type: string;
  readonly action: 'destroy' | 'replace';
  /** Why it is protected, as its construct declared. */
  readonly reason: string;
}

/** One protected destroy of one stack, with the verdict. */
export interface ProtectionFinding extends ProtectedDestroy {
  readonly stack: string;
  readonly environment: string;
  /** The label that allows it. */
  readonly label: string;
  readonly allowed: boolean;
}

export interface ProtectionResult {
  readonly findings: readonly ProtectionFinding[];
  /** Findings not allowed by a label: the check fails when there is one. */
  readonly refused: number;
  /** Unscoped labels on the pull request that were ignored (`allow-destroy` without environment). */
  readonly ignoredLabels: readonly string[];
}

/** `aws_x.name["key"]` and `aws_x.name[0]` -> `aws_x.name`: declarations are per resource block. */
export function resourceAddress(address: string): string {
  const at = address.indexOf('[');
  return at < 0 ? address : address.slice(0, at);
}

/** The protected objects a plan deletes or replaces, in address order. */
export function protectedDestroys(plan: PlanJson, declared: Readonly<Record<string, string>>): ProtectedDestroy[] {
  const found: ProtectedDestroy[] = [];
  for (const change of plan.resource_changes ?? []) {
    if (change.mode === 'data' || !change.change.actions.includes('delete')) continue;
    const address = addressOf(change);
    const reason = declared[resourceAddress(address)];
    if (reason === undefined) continue;
    found.push({
      address: address + (change.deposed ? ` (deposed ${change.deposed})` : ''),
      type: change.type,
      action: change.change.actions.includes('create') ? 'replace' : 'destroy',
      reason,
    });
  }
  return found.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
}

/**
 * The protection record of `stack`: the union of its records in the synth directories (the base
 * commit's declares what a pull request removes).
 * @throws PlanToolError when no directory has a record for the stack
 */
export function protectionRecord(stack: string, synthDirs: readonly string[]): ProtectionRecord {
  let environment: string | undefined;
  const resources: Record<string, string> = {};
  for (const dir of synthDirs) {
    const file = join(dir, 'stacks', stack, 'cdk.tf.json');
    if (!existsSync(file)) continue;
    let record: ProtectionRecord | undefined;
    try {
      record = (JSON.parse(readFileSync(file, 'utf8')) as { '//'?: Record<string, ProtectionRecord> })['//']?.[PROTECTION_JSON_KEY];
    } catch (error) {
      throw new PlanToolError(`${file} is not JSON (${(error as Error).message}); synthesize again`);
    }
    if (!record || typeof record.environment !== 'string' || typeof record.resources !== 'object') {
      throw new PlanToolError(`${file} has no "//".${PROTECTION_JSON_KEY} record; it was synthesized by an older version: synthesize it again with npm run synth`);
    }
    environment ??= record.environment;
    for (const [address, reason] of Object.entries(record.resources)) resources[address] ??= reason;
  }
  if (environment === undefined) {
    throw new PlanToolError(
      `no synthesized stack ${stack} in ${synthDirs.join(', ')}: its protected resources are unknown; pass --synth with the head commit's synth and, for a removed stack, the base commit's`,
    );
  }
  return { environment, resources };
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

/** The verdict for a set of plans: each protected destroy, allowed only by its environment's label. */
export function checkProtection(
  plans: readonly { stack: string; plan: PlanJson }[],
  recordOf: (stack: string) => ProtectionRecord,
  labels: readonly string[],
): ProtectionResult {
  const findings: ProtectionFinding[] = [];
  for (const { stack, plan } of plans) {
    const record = recordOf(stack);
    const label = allowDestroyLabel(record.environment);
    for (const hit of protectedDestroys(plan, record.resources)) {
      findings.push({ ...hit, stack, environment: record.environment, label, allowed: labels.includes(label) });
    }
  }
  return {
    findings,
    refused: findings.filter((finding) => !finding.allowed).length,
    ignoredLabels: labels.filter((label) => label === UNSCOPED_ALLOW_DESTROY_LABEL),
  };
}

function verb(finding: ProtectedDestroy): string {
  return finding.action === 'replace' ? 'replaced' : 'destroyed';
}

/** The markdown section of the plan comment: self-contained, empty when nothing protected is touched. */
export function renderProtectionSection(result: ProtectionResult): string {
  if (result.findings.length === 0) return '';
  const lines = [
    result.refused > 0
      ? `### :no_entry: ${result.refused} protected resource(s) would be destroyed`
      : `### :warning: ${result.findings.length} protected resource(s) will be destroyed (allowed by label)`,
    '',
    '| stack | resource | action | protected because | allowed by |',
    '| --- | --- | --- | --- | --- |',
    ...result.findings.map(
      (f) => `| ${f.stack} | \`${f.address}\` | ${f.action} | ${f.reason.replace(/\|/g, '\\|')} | ${f.allowed ? `\`${f.label}\` :white_check_mark:` : `\`${f.label}\` (missing)`} |`,
    ),
  ];
  const missing = [...new Set(result.findings.filter((f) => !f.allowed).map((f) => f.label))];
  if (missing.length > 0) lines.push('', `Apply refuses these unless the pull request carries ${missing.map((l) => `\`${l}\``).join(', ')}.`);
  if (result.ignoredLabels.length > 0) {
    lines.push('', `The label \`${UNSCOPED_ALLOW_DESTROY_LABEL}\` names no environment and allows nothing; use \`${ALLOW_DESTROY_LABEL_PREFIX}<environment>\`.`);
  }
  return `${lines.join('\n')}\n`;
}

export async function main(argv: readonly string[], io: ToolIo = PROCESS_IO): Promise<number> {
  return runTool('check-protected', io, () => {
    const collect = (value: string, previous: string[]) => [...previous, value];
    const options = new Command('check-protected')
      .description(`Fail when a plan destroys a resource its construct protects, unless the pull request has the label ${ALLOW_DESTROY_LABEL_PREFIX}<environment>`)
      .requiredOption('--plan <stack=plan.json>', 'a stack and its plan JSON; repeatable', collect, [])
      .option('--synth <dir>', `synth output holding the protection records (head, and base for removed stacks); repeatable (default ${DEFAULT_SYNTH_DIR})`, collect, [])
      .option('--labels <labels>', 'labels of the pull request (comma-separated or a JSON list)', '')
      .option('--json <file>', 'also write the findings as JSON')
      .option('--markdown <file>', 'also write the plan-comment section (empty when nothing protected is touched)')
      .exitOverride()
      .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
      .parse([...argv], { from: 'user' })
      .opts<{ plan: string[]; synth: string[]; labels: string; json?: string; markdown?: string }>();
    const synthDirs = options.synth.length > 0 ? options.synth : [DEFAULT_SYNTH_DIR];
    const plans = options.plan.map((arg) => {
      const { stack, file } = parsePlanArgument(arg);
      return { stack, plan: readPlanJsonFile(file) };
    });
    const result = checkProtection(plans, (stack) => protectionRecord(stack, synthDirs), parseLabels(options.labels));
    if (options.json) writeFileSync(options.json, `${JSON.stringify(result, null, 2)}\n`);
    if (options.markdown) writeFileSync(options.markdown, renderProtectionSection(result));
    for (const f of result.findings) {
      io.stdout(`${f.allowed ? 'allowed' : 'STOP'} ${f.stack}: ${f.address} will be ${verb(f)} (${f.reason})\n`);
    }
    if (result.findings.length === 0) {
      io.stdout('no protected resource is destroyed\n');
      return 0;
    }
    if (result.refused === 0) {
      io.stdout(`${result.findings.length} protected resource(s) will be destroyed: allowed by ${[...new Set(result.findings.map((f) => f.label))].join(', ')}\n`);
      return 0;
    }
    const missing = [...new Set(result.findings.filter((f) => !f.allowed).map((f) => f.label))];
    const unscoped = result.ignoredLabels.length > 0 ? ` (the label ${UNSCOPED_ALLOW_DESTROY_LABEL} names no environment and allows nothing)` : '';
    io.stderr(`check-protected: ${result.refused} protected resource(s) would be destroyed; add the label ${missing.join(', ')} to the pull request if that is intended${unscoped}\n`);
    return 1;
  });
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
