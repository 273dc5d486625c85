/**
 * From synth to comment for one environment, with real Terraform: synthesize every stack, plan
 * dev-network and shared-bootstrap offline (the creation of the environment's network and of the
 * bootstrap), render the comment. Stacks other helpers still build change under this test, so it
 * asserts structure and known addresses, not counts.
 *
 * @slow 26 synth and two offline terraform plans
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { synthesize } from '../../../tools/synth/synthesize';
import { setupProblem } from '../../../tools/terraform/verify-stacks';
import { runPlans, type StackPlanResult } from '../../../tools/plan/run-plans';
import { main as planComment } from '../../../tools/plan/plan-comment';
import { readPlanJsonFile } from '../../../tools/plan/plan-json';
import { comparePlans } from '../../../tools/plan/compare-plans';
import { protectedDestroys, protectionRecord } from '../../../tools/plan/protected';

const STACKS = ['dev-network', 'shared-bootstrap'];
const canRun = setupProblem() === undefined;

(canRun ? describe : describe.skip)('synth -> plan --offline -> plan comment (dev)', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-synth-'));
  // Kept between runs (init results, provider schema) so a second run is quick.
  const plansDir = path.join(os.tmpdir(), 'platform-plan-tests', 'e2e');
  const schemaCache = path.join(os.tmpdir(), 'platform-plan-tests', 'aws-schema.json');
  let results: StackPlanResult[];
  let markdown = '';

  beforeAll(async () => {
    synthesize({ outdir });
    results = await runPlans({ stacks: STACKS, outdir, plansDir, offline: true, parallel: 2, schemaCache });
    let stderr = '';
    const code = await planComment(results.flatMap((r) => ['--plan', `${r.stack}=${r.jsonFile}`]), {
      env: {},
      stdout: (text) => (markdown += text),
      stderr: (text) => (stderr += text),
    });
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  });

  it('plans both stacks with real Terraform and keeps plan files and JSON', () => {
    for (const result of results) {
      expect({ stack: result.stack, ok: result.ok, error: result.error }).toEqual({ stack: result.stack, ok: true, error: undefined });
      expect(fs.existsSync(result.planFile)).toBe(true);
      expect(readPlanJsonFile(result.jsonFile).format_version).toMatch(/^1\./);
    }
  });

  it('plans the creation of the environment: only adds', () => {
    for (const result of results) {
      expect(result.counts).toMatchObject({ change: 0, replace: 0, destroy: 0 });
      expect(result.counts!.add).toBeGreaterThan(0);
    }
  });

  it('renders one sticky comment with a summary table per stack, in name order', () => {
    expect(markdown.startsWith('<!-- platform-plan-comment -->\n## Terraform plan')).toBe(true);
    const headings = [...markdown.matchAll(/^### <code>([^<]+)<\/code>$/gm)].map((m) => m[1]);
    expect(headings).toEqual(['dev-network', 'shared-bootstrap']);
    expect(markdown).toMatch(/^\| <code>dev-network<\/code> \| dev \| [1-9]\d* \| 0 \| 0 \| 0 \| ✅ planned \|$/m);
    const rows = markdown.split('\n').filter((line) => /^\| \d+ \| \d+ \| \d+ \| \d+ \|/.test(line));
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(row).toMatch(/^\| [1-9]\d* \| 0 \| 0 \| 0 \| .*✅ planned \|$/);
  });

  it('plans the VPC of dev and the CI roles of the bootstrap', () => {
    const creates = (stack: string) =>
      (readPlanJsonFile(results.find((r) => r.stack === stack)!.jsonFile).resource_changes ?? [])
        .filter((c) => c.change.actions.join() === 'create')
        .map((c) => c.address);
    expect(creates('dev-network')).toEqual(expect.arrayContaining([expect.stringMatching(/^aws_vpc\./), expect.stringMatching(/^aws_subnet\./)]));
    expect(creates('shared-bootstrap')).toEqual(expect.arrayContaining(['aws_iam_openid_connect_provider.github_oidc', 'aws_iam_role.ci_plan_dev']));
  });

  it('flags the security-sensitive changes in the always-kept summary, and stays under the comment limit', () => {
    expect(markdown).toContain('<code>aws_iam_role.ci_plan_dev</code> will be created (IAM policy, role or attachment)');
    expect(markdown).toContain('<code>aws_kms_key.state_key</code> will be created (KMS key policy)');
    expect(markdown).toContain('<code>aws_s3_bucket_policy.state_policy</code> will be created (S3 bucket policy)');
    expect(markdown.length).toBeLessThanOrEqual(65_536);
    // Details go stack by stack when the text is too long; each stack then says where its plan is.
    for (const stack of STACKS) {
      const section = markdown.slice(markdown.indexOf(`<!-- stack:${stack} -->`), markdown.indexOf(`<!-- /stack:${stack} -->`));
      expect(section).toMatch(/#### Resource changes \(\d+\)|Details( of \d+ of \d+ entries \(the least dangerous\))? left out .* workflow artifact `terraform-plans`/);
    }
  });

  it('lists every changed address of the 100+-resource network plan with its action, within the comment limit', () => {
    const network = readPlanJsonFile(results.find((r) => r.stack === 'dev-network')!.jsonFile);
    const addresses = (network.resource_changes ?? []).filter((c) => c.change.actions.join() !== 'no-op').map((c) => c.address);
    expect(addresses.length).toBeGreaterThanOrEqual(100);
    const section = markdown.slice(markdown.indexOf('<!-- stack:dev-network -->'), markdown.indexOf('<!-- /stack:dev-network -->'));
    for (const address of addresses) expect(section).toContain(`- <code>+</code> <code>${address}</code> will be created`);
    expect(markdown.length).toBeLessThanOrEqual(65_536);
  });

  it('never prints the offline stub credentials', () => {
    expect(markdown).not.toMatch(/offline-plan-(access|secret)-key/);
  });

  it('a plan of creation destroys nothing protected, and matches itself', () => {
    for (const result of results) {
      const plan = readPlanJsonFile(result.jsonFile);
      expect(protectedDestroys(plan, protectionRecord(result.stack, [outdir]).resources)).toEqual([]);
      expect(comparePlans(plan, plan)).toEqual([]);
    }
  });
});
