/**
 * Every synthesized stack of every environment, checked by real Terraform offline:
 * validated against the real AWS provider (schema and argument validators), then planned and
 * applied by `terraform test` with mocked AWS providers. One Terraform run covers all stacks (see
 * tools/terraform/check-workspace.ts and verify-stacks.ts).
 *
 * @slow 66 terraform test of every synthesized stack, one root per core
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { synthesize } from '../../tools/synth/synthesize';
import { setupProblem, verifyStacks, type Verification } from '../../tools/terraform/verify-stacks';

const ROOT = path.join(__dirname, '..', '..');
const outdir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tf-checks-')), 'cdktf.out');
const stacks = synthesize({ outdir }).stacks.map((stack) => stack.name);
const problem = setupProblem();

if (problem) {
  test('Terraform checks can run on this machine', () => {
    throw new Error(`cannot run the Terraform checks: ${problem} (README: "Terraform checks")`);
  });
} else {
  let verification: Verification;

  beforeAll(async () => {
    verification = await verifyStacks({ outdir, workdir: path.join(ROOT, '.terraform-checks', 'stacks') });
  }, 600_000);

  const verdict = (stack: string) => verification.stacks.find((s) => s.stack === stack)!;

  describe.each(stacks)('%s', (stack) => {
    it('is valid against the real AWS provider', () => {
      expect(verdict(stack).validateErrors).toEqual([]);
    });

    it('plans and applies against mocked AWS providers', () => {
      expect(verdict(stack).testErrors).toEqual([]);
    });
  });

  it('leaves no error outside a stack, and terraform test passes', () => {
    expect(verification.otherErrors).toEqual([]);
    expect(verification.testsPassed).toBe(true);
  });
}
