/**
 * Synthesizes every environment: load and validate the configs, build the stacks, write the
 * Terraform JSON to a scratch directory and only then swap it into place, so a failing synth
 * (bad config, guardrail error) leaves no partial output.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, TerraformResource } from 'cdktf';
import { loadPlatform, type Platform } from '../../environments/load';
import { buildPlatform } from '../../stacks/platform-app';
import type { LayerStack } from '../../stacks/layer-stack';
import { applyOrder, environmentApplyOrder } from '../../stacks/apply-order';
import { collectGuardrailReports, errorsOf, GuardrailError, type StackReport } from '../../modules/guardrails';

export interface SynthOptions {
  /** @default - `environments/` of this repository */
  readonly environmentsDir?: string;
  /** @default 'cdktf.out' in the current directory */
  readonly outdir?: string;
}

export interface StackSummary {
  readonly name: string;
  readonly accountId: string;
  readonly region: string;
  readonly stateKey: string;
  readonly resourceCount: number;
}

export interface SynthResult {
  readonly platform: Platform;
  readonly outdir: string;
  /** In apply order (stacks/apply-order.ts): the table of `npm run synth` reads top to bottom as a deployment runs. */
  readonly stacks: readonly StackSummary[];
  /** Guardrail report per stack, in the same apply order as `stacks` (no errors: a synth with errors throws GuardrailError). */
  readonly guardrails: readonly StackReport[];
}

export const DEFAULT_OUTDIR = 'cdktf.out';

export function synthesize(options: SynthOptions = {}): SynthResult {
  const platform = loadPlatform(options.environmentsDir);
  const outdir = path.resolve(options.outdir ?? DEFAULT_OUTDIR);
  const scratch = `${outdir}.partial-${process.pid}`;
  fs.rmSync(scratch, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(outdir), { recursive: true });
  try {
    const app = new App({ outdir: scratch, skipValidation: false });
    const { all } = buildPlatform(app, platform);
    const collected = collectGuardrailReports(app);
    app.synth();
    const order = applyOrder(all.map((stack) => stack.node.id), environmentApplyOrder(platform));
    const inApplyOrder = [...all].sort((a, b) => order.indexOf(a.node.id) - order.indexOf(b.node.id));
    const guardrails = inApplyOrder.map((stack) => {
      const report = collected.find((r) => r.stack === stack.node.id);
      if (!report) throw new Error(`guardrails did not run on stack ${stack.node.id}: apply them with applyGuardrails(stack) (stacks/platform-app.ts)`);
      return report;
    });
    if (errorsOf(guardrails).length > 0) throw new GuardrailError(guardrails);
    const stacks = inApplyOrder.map(summarize);
    fs.rmSync(outdir, { recursive: true, force: true });
    fs.renameSync(scratch, outdir);
    return { platform, outdir, stacks, guardrails };
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** The synthesized Terraform JSON of one stack below `outdir`. */
export function stackJsonPath(outdir: string, stack: string): string {
  return path.join(outdir, 'stacks', stack, 'cdk.tf.json');
}

/** Counted on the construct tree, so it holds for JSON and for `--hcl` output alike. */
function summarize(stack: LayerStack): StackSummary {
  const resourceCount = stack.node.findAll().filter((construct) => TerraformResource.isTerraformResource(construct)).length;
  return { name: stack.node.id, accountId: stack.account.accountId, region: stack.region, stateKey: stack.stateKey, resourceCount };
}
