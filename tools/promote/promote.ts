/**
 * `promote <from> <to>`: the pinned values `from` runs (its config at the tag `deployed/<from>`,
 * ./deployed.ts) that differ in `to`, the stacks and
 * resources whose synthesized Terraform would change as a result (both sides synthesized
 * locally into temporary directories), and, on request, the edit of `to`'s config.ts.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CONFIG_FILE, DEFAULT_ENVIRONMENTS_DIR, loadPlatform, type Platform } from '../../environments/load';
import { copyEnvironmentsDir } from '../../environments/files';
import { ConfigError, formatIssue } from '../../modules/core/config-issue';
import { synthesize } from '../synth/synthesize';
import { resolveStep, type PromotionStep, type StepOptions } from './chain';
import { applyEdits, type EditResult } from './config-source';
import { errors, PromoteError } from './errors';
import { fileStatus, GitError } from './git';
import { formatPath, sameLeaf, valueAt, type Path } from './paths';
import { checkPin, pinnedValues, type PinnedValue, type PinValue } from './pins';
import { PROMOTABLE_FIELDS, type PromotableField } from './promotable-fields';
import { diffSynthOutputs, type StackDiff } from './stack-diff';
import { deployedConfig, type DeployedConfig } from './deployed';

export interface PromotionOptions extends StepOptions {
  /** @default - `environments/` of this repository */
  readonly environmentsDir?: string;
  /** What moves. @default PROMOTABLE_FIELDS */
  readonly fields?: readonly PromotableField[];
  /** Synthesize before and after and compare the stacks. @default true */
  readonly synth?: boolean;
}

export interface PinChange {
  readonly path: Path;
  readonly field: PromotableField;
  /** The target's value now; undefined when it does not set the field. */
  readonly current: PinValue | undefined;
  /** The value promoted from the source. */
  readonly promoted: PinValue;
}

export interface SkippedPin {
  readonly path: Path;
  readonly value: PinValue;
  readonly reason: string;
}

export interface PromotionPlan {
  readonly step: PromotionStep;
  readonly environmentsDir: string;
  /** Absolute path of the target's config file. */
  readonly targetFile: string;
  readonly changes: readonly PinChange[];
  /** Pins of the source the target cannot take without a hand edit. */
  readonly skipped: readonly SkippedPin[];
  /** Pins only the target has: kept as they are. */
  readonly onlyInTarget: readonly PinnedValue[];
  /** The target file after the edit; undefined when nothing changes. */
  readonly edit?: EditResult;
  /** Where the source's pins were read: `deployed/<from>` (or the working tree, forced), and warnings. */
  readonly source: Omit<DeployedConfig, 'config'>;
  /** Stacks whose synthesized Terraform changes; undefined when synthesis was skipped. */
  readonly stacks?: readonly StackDiff[];
  /** How many stacks were compared. */
  readonly stackCount?: number;
}

export function configFileOf(environmentsDir: string, env: string): string {
  return path.join(path.resolve(environmentsDir), env, CONFIG_FILE);
}

/** Loads the environments, throwing PromoteError with one line per config problem. */
export function loadEnvironments(environmentsDir: string): Platform {
  try {
    return loadPlatform(path.resolve(environmentsDir));
  } catch (error) {
    if (error instanceof ConfigError) throw new PromoteError(error.issues.map(formatIssue).join('\n'));
    throw error;
  }
}

export function planPromotion(fromName: string, toName: string, options: PromotionOptions = {}): PromotionPlan {
  const environmentsDir = path.resolve(options.environmentsDir ?? DEFAULT_ENVIRONMENTS_DIR);
  const fields = options.fields ?? PROMOTABLE_FIELDS;
  const platform = loadEnvironments(environmentsDir);
  const step = resolveStep(platform, fromName, toName, options);
  const targetFile = configFileOf(environmentsDir, step.to.name);

  // What the source runs, not its working tree: an undeployed or uncommitted pin never moves on.
  const { config: deployed, ...source } = deployedConfig(environmentsDir, step.from, options);
  const sourcePins = pinnedValues(deployed, fields);
  const targetPins = pinnedValues(step.to, fields);
  const changes: PinChange[] = [];
  const skipped: SkippedPin[] = [];
  for (const pin of sourcePins) {
    const current = valueAt(step.to, pin.path);
    if (sameLeaf(current, pin.value)) continue;
    const parent = valueAt(step.to, pin.path.slice(0, -1));
    if (pin.field.whenMissing === 'skip' && (parent === null || typeof parent !== 'object')) {
      skipped.push({
        path: pin.path,
        value: pin.value,
        reason: `${step.to.name} has no ${formatPath(pin.path.slice(0, -1))}; add it to environments/${step.to.name}/${CONFIG_FILE} by hand with its own sizes`,
      });
      continue;
    }
    checkPin(step.from.name, pin.path, pin.value, pin.field);
    changes.push({ path: pin.path, field: pin.field, current: current as PinValue | undefined, promoted: pin.value });
  }
  const sourceKeys = new Set(sourcePins.map((pin) => formatPath(pin.path)));
  const onlyInTarget = targetPins.filter((pin) => !sourceKeys.has(formatPath(pin.path)));

  if (changes.length === 0) return { step, environmentsDir, targetFile, changes, skipped, onlyInTarget, source };
  const edit = applyEdits(step.to.name, fs.readFileSync(targetFile, 'utf8'), changes.map((change) => ({ path: change.path, value: change.promoted })));
  const plan: PromotionPlan = { step, environmentsDir, targetFile, changes, skipped, onlyInTarget, edit, source };
  if (options.synth === false) return plan;
  return { ...plan, ...synthesizedDiff(environmentsDir, step.to.name, edit.text) };
}

/** Synthesizes the environments as they are and with the target's edited config, into temporary directories, and compares. */
function synthesizedDiff(environmentsDir: string, target: string, editedText: string): { stacks: StackDiff[]; stackCount: number } {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'promote-'));
  const after = copyEnvironmentsDir(environmentsDir, 'promote-after-');
  try {
    fs.writeFileSync(path.join(after, target, CONFIG_FILE), editedText);
    const before = synthesizeSide('as they are', () => synthesize({ environmentsDir, outdir: path.join(scratch, 'before') }));
    const afterResult = synthesizeSide(`with the promoted values in environments/${target}/${CONFIG_FILE}`, () =>
      synthesize({ environmentsDir: after, outdir: path.join(scratch, 'after') }),
    );
    const stackCount = new Set([...before.stacks, ...afterResult.stacks].map((stack) => stack.name)).size;
    return { stacks: diffSynthOutputs(before.outdir, afterResult.outdir), stackCount };
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
    fs.rmSync(after, { recursive: true, force: true });
  }
}

/** Throws PromoteError unless `file` is in a git work tree without uncommitted changes. */
export function assertCommitted(env: string, file: string): void {
  let status: string;
  try {
    status = fileStatus(file);
  } catch (error) {
    if (error instanceof GitError) throw errors.notInGit(env, file, error.message);
    throw error;
  }
  if (status.trim() !== '') throw errors.dirtyTarget(env, file, status);
}

/** Runs one synthesis; a config problem or a construct error becomes one PromoteError line. */
function synthesizeSide<T>(what: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    const detail = error instanceof ConfigError ? error.issues.map(formatIssue).join('; ') : (error as Error).message.split('\n')[0];
    throw errors.synthFailed(what, detail);
  }
}

/** Writes the edited target config; refuses when the file has uncommitted changes. */
export function writePromotion(plan: PromotionPlan): void {
  if (!plan.edit) return;
  assertCommitted(plan.step.to.name, plan.targetFile);
  fs.writeFileSync(plan.targetFile, plan.edit.text);
}
