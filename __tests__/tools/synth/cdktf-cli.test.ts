/**
 * `npx cdktf synth` runs main.ts and must give the same stacks as `npm run synth`; `--hcl`
 * must give plain HCL that Terraform accepts (the way out, should the team leave cdktf).
 *
 * @slow 90 the cdktf CLI twice; terraform validate of the HCL of every stack, an offline plan of three stacks as HCL and as JSON
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { synthesize, stackJsonPath } from '../../../tools/synth/synthesize';
import { resolveProviderSource, writeCliConfig } from '../../../tools/terraform/provider-source';
import { setupProblem } from '../../../tools/terraform/verify-stacks';
import { planDifferences, writeHclWorkspace, type HclCheckedStack } from '../../../tools/terraform/hcl-workspace';

const ROOT = path.join(__dirname, '..', '..', '..');
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'cdktf-cli-'));
const CDKTF = path.join(ROOT, 'node_modules', '.bin', 'cdktf');
const QUIET = { ...process.env, CI: '1', CHECKPOINT_DISABLE: '1', TF_CLI_CONFIG_FILE: '/dev/null' };

/** The Terraform configuration of a stack, without cdktf's metadata comments. */
function config(file: string): unknown {
  return JSON.parse(fs.readFileSync(file, 'utf8'), (key, value) => (key === '//' ? undefined : value));
}

describe('npm run cdktf -- synth (npx cdktf synth without telemetry)', () => {
  it('gives the same stacks, byte for byte in configuration, as npm run synth, and never calls HashiCorp offline', () => {
    const viaCli = path.join(tmp(), 'out');
    // As a newcomer's shell runs it: no CHECKPOINT_DISABLE, no CI. The npm script sets it
    // (cdktf-cli 0.21 reads CHECKPOINT_DISABLE: any value turns its checkpoint call off).
    const shell = Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'CHECKPOINT_DISABLE' && name !== 'CI'));
    const run = spawnSync('npm', ['run', 'cdktf', '--', 'synth', '--output', viaCli], { cwd: ROOT, env: { ...shell, TF_CLI_CONFIG_FILE: '/dev/null' }, encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(`${run.stdout}${run.stderr}`).not.toMatch(/ENOTFOUND|checkpoint-api/);
    const viaNpm = path.join(tmp(), 'out');
    const { stacks } = synthesize({ outdir: viaNpm });
    expect(fs.readdirSync(path.join(viaCli, 'stacks')).sort()).toEqual(stacks.map((s) => s.name).sort());
    for (const { name } of stacks) expect(config(stackJsonPath(viaCli, name))).toEqual(config(stackJsonPath(viaNpm, name)));
  }, 120_000);
});

describe('npx cdktf synth --hcl', () => {
  const problem = setupProblem();
  const hclOut = path.join(tmp(), 'hcl');
  const jsonOut = path.join(tmp(), 'json');
  const root = tmp();
  let checked: HclCheckedStack[] = [];
  let env: NodeJS.ProcessEnv = {};
  const terraform = (args: string[]) => execFileSync('terraform', args, { cwd: root, env, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });

  beforeAll(() => {
    execFileSync(CDKTF, ['synth', '--hcl', '--output', hclOut], { cwd: ROOT, env: QUIET, stdio: 'pipe' });
    if (problem) return;
    const { stacks } = synthesize({ outdir: jsonOut });
    checked = writeHclWorkspace({ hclOutdir: hclOut, jsonOutdir: jsonOut, workdir: root, stacks: stacks.map((stack) => stack.name) });
    env = { ...process.env, TF_CLI_CONFIG_FILE: writeCliConfig(tmp(), resolveProviderSource()), TF_IN_AUTOMATION: '1' };
    terraform(['init', '-input=false']);
  }, 300_000);

  it('writes a cdk.tf per stack', () => {
    const stacks = fs.readdirSync(path.join(hclOut, 'stacks'));
    expect(stacks.length).toBeGreaterThan(10);
    for (const stack of stacks) expect(fs.readdirSync(path.join(hclOut, 'stacks', stack))).toContain('cdk.tf');
    const bootstrap = fs.readFileSync(path.join(hclOut, 'stacks', 'shared-bootstrap', 'cdk.tf'), 'utf8');
    expect(bootstrap).toMatch(/resource "aws_s3_bucket" "state_bucket" \{/);
    // Every stack's HCL parses (terraform fmt reads the syntax without providers; exit code 2 on a syntax error).
    execFileSync('terraform', ['fmt', '-write=false', '-list=false', '-recursive', path.join(hclOut, 'stacks')], { env: QUIET, stdio: 'ignore' });
  });

  it('writes HCL that terraform validates without a warning, for every stack', () => {
    if (problem) throw new Error(`cannot run terraform validate on the HCL: ${problem}`);
    expect(checked.map((stack) => stack.stack).sort()).toEqual(fs.readdirSync(path.join(hclOut, 'stacks')).sort());
    const validation = JSON.parse(execFileSyncOrOutput(() => terraform(['validate', '-json'])));
    const diagnostics = (validation.diagnostics as { severity: string; summary: string; detail?: string; range?: { filename: string; start: { line: number } } }[]).map(
      (d) => `${d.severity} ${d.range ? `${d.range.filename}:${d.range.start.line}` : ''} ${d.summary}: ${d.detail ?? ''}`,
    );
    expect(diagnostics).toEqual([]);
    expect(validation).toMatchObject({ valid: true, error_count: 0, warning_count: 0 });
  });

  // The stacks where the HCL writer needed help (hcl-blocks, hcl-meta-arguments, terraform-json):
  // WAF statements, a dashboard body with quotes, depends_on, aliased providers, ignore_changes.
  const EQUIVALENCE_STACKS = ['dev-platform', 'dev-observability', 'dev-secrets'];

  it('plans the same resources with the same values from the HCL as from the JSON', () => {
    if (problem) throw new Error(`cannot run terraform plan on the HCL: ${problem}`);
    const pairs = checked.filter((stack) => EQUIVALENCE_STACKS.includes(stack.stack));
    expect(pairs.map((pair) => pair.stack).sort()).toEqual([...EQUIVALENCE_STACKS].sort());
    const targets = pairs.flatMap((pair) => [`-target=module.${pair.hclModule}`, `-target=module.${pair.jsonModule}`]);
    terraform(['plan', '-refresh=false', '-input=false', '-lock=false', '-out=equivalence.tfplan', ...targets]);
    const plan = JSON.parse(terraform(['show', '-json', 'equivalence.tfplan']));
    for (const pair of pairs) {
      const planned = plan.resource_changes.filter((change: { module_address?: string }) => change.module_address === `module.${pair.hclModule}`);
      // Every resource of the synthesized stack is planned from the HCL (not merely "some").
      const resources = Object.values((config(stackJsonPath(jsonOut, pair.stack)) as { resource?: Record<string, object> }).resource ?? {}).reduce(
        (count, byName) => count + Object.keys(byName).length,
        0,
      );
      expect(resources).toBeGreaterThan(0);
      expect(planned.length).toBe(resources);
      expect(planDifferences(plan, pair)).toEqual([]);
    }
  }, 600_000);
});

/** stdout of a terraform command, also when it exits non-zero (validate -json reports errors that way). */
function execFileSyncOrOutput(run: () => string): string {
  try {
    return run();
  } catch (error) {
    const stdout = (error as { stdout?: string }).stdout;
    if (stdout) return stdout;
    throw error;
  }
}
