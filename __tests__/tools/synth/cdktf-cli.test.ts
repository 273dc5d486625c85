/**
 * `npx cdktf synth` runs main.ts and must give the same stacks as `npm run synth`; `--hcl`
 * must give plain HCL that Terraform accepts (the way out, should the team leave cdktf).
 *
 * @slow 21 the cdktf CLI, twice
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { synthesize, stackJsonPath } from '../../../tools/synth/synthesize';
import { resolveProviderSource, writeCliConfig } from '../../../tools/terraform/provider-source';
import { setupProblem } from '../../../tools/terraform/verify-stacks';

const ROOT = path.join(__dirname, '..', '..', '..');
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'cdktf-cli-'));
const CDKTF = path.join(ROOT, 'node_modules', '.bin', 'cdktf');
const QUIET = { ...process.env, CI: '1', CHECKPOINT_DISABLE: '1', TF_CLI_CONFIG_FILE: '/dev/null' };

/** The Terraform configuration of a stack, without cdktf's metadata comments. */
function config(file: string): unknown {
  return JSON.parse(fs.readFileSync(file, 'utf8'), (key, value) => (key === '//' ? undefined : value));
}

describe('npx cdktf synth', () => {
  it('gives the same stacks, byte for byte in configuration, as npm run synth', () => {
    const viaCli = path.join(tmp(), 'out');
    execFileSync(CDKTF, ['synth', '--output', viaCli], { cwd: ROOT, env: QUIET, stdio: 'pipe' });
    const viaNpm = path.join(tmp(), 'out');
    const { stacks } = synthesize({ outdir: viaNpm });
    expect(fs.readdirSync(path.join(viaCli, 'stacks')).sort()).toEqual(stacks.map((s) => s.name).sort());
    for (const { name } of stacks) expect(config(stackJsonPath(viaCli, name))).toEqual(config(stackJsonPath(viaNpm, name)));
  }, 120_000);
});

describe('npx cdktf synth --hcl', () => {
  const problem = setupProblem();

  it('writes HCL that terraform validates', () => {
    const out = path.join(tmp(), 'out');
    execFileSync(CDKTF, ['synth', '--hcl', '--output', out], { cwd: ROOT, env: QUIET, stdio: 'pipe' });
    const dir = path.join(out, 'stacks', 'shared-bootstrap');
    expect(fs.readdirSync(dir)).toContain('cdk.tf');
    const stacks = fs.readdirSync(path.join(out, 'stacks'));
    expect(stacks.length).toBeGreaterThan(10);
    for (const stack of stacks) expect(fs.readdirSync(path.join(out, 'stacks', stack))).toContain('cdk.tf');
    expect(fs.readFileSync(path.join(dir, 'cdk.tf'), 'utf8')).toMatch(/resource "aws_s3_bucket" "state_bucket" \{/);
    if (problem) throw new Error(`cannot run terraform validate on the HCL: ${problem}`);
    // Every stack's HCL parses (terraform fmt reads the syntax without providers)...
    // (it prints the formatted text, which is not needed: only its exit code, 2 on a syntax error)
    execFileSync('terraform', ['fmt', '-write=false', '-list=false', '-recursive', path.join(out, 'stacks')], { env: QUIET, stdio: 'ignore' });
    // ...and one stack, policies with references included, validates against the real provider.
    const env = { ...process.env, TF_CLI_CONFIG_FILE: writeCliConfig(tmp(), resolveProviderSource()) };
    execFileSync('terraform', ['init', '-backend=false', '-input=false'], { cwd: dir, env, stdio: 'pipe' });
    const validation = JSON.parse(execFileSync('terraform', ['validate', '-json'], { cwd: dir, env, encoding: 'utf8' }));
    expect(validation).toMatchObject({ valid: true, error_count: 0 });
  }, 120_000);
});
