/**
 * The promotion CLI, in process and as the npm script runs it.
 *
 * @slow 18 spawns the CLI as a node process, several times
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { planPromotion } from '../../../tools/promote/promote';
import { formatPath } from '../../../tools/promote/paths';
import { promoteCli, IMAGES, pinImages, promoteRepo, type PromoteRepo } from './fixtures';
import { npmScriptNodeArgs, PROJECT_ROOT } from '../../../tools/npm-script';

describe('npm run promote', () => {
  let repo: PromoteRepo;
  beforeEach(() => {
    repo = promoteRepo();
  });
  afterEach(() => repo.cleanup());

  const run = (...argv: string[]) => promoteCli(repo)(...argv);

  describe('dev -> staging', () => {
    // Promotion reads what dev runs: its config at the tag deployed/<from> (tools/promote/deployed.ts).
    beforeEach(() => repo.git('tag', 'deployed/dev'));

    it('moves exactly the pinned values that differ and names the stacks whose Terraform changes', () => {
      const plan = planPromotion('dev', 'staging', { environmentsDir: repo.environmentsDir });
      expect(plan.changes.map((change) => [formatPath(change.path), change.current, change.promoted])).toEqual([
        ['services.list.api.image', IMAGES.staging.api, IMAGES.dev.api],
        ['promotable.feature.checkout-v2', false, true],
        ['promotable.search.pageSize', undefined, 50],
      ]);
      // Only the image reaches Terraform: staging's api task definition, and the registry, whose lifecycle policy keeps
      // every pinned image (api:3.0.0 is pinned by no environment any more). Nothing of dev or prod.
      expect(plan.stacks?.map((stack) => stack.stack)).toEqual(['shared-registry', 'staging-platform']);
      const [registry, platform] = plan.stacks!;
      expect(platform).toEqual({ stack: 'staging-platform', status: 'changed', added: [], removed: [], changed: [expect.stringMatching(/^aws_ecs_task_definition\..*api/)] });
      expect(registry).toEqual({ stack: 'shared-registry', status: 'changed', added: [], removed: [], changed: [expect.stringMatching(/^aws_ecr_lifecycle_policy\..*api/)] });
    });

    it('promotes flags that no stack reads without any Terraform change', () => {
      repo.write('dev', pinImages(repo.read('dev'), { api: IMAGES.staging.api }));
      repo.commit('dev runs the api of staging');
      repo.git('tag', '-f', 'deployed/dev');
      const plan = planPromotion('dev', 'staging', { environmentsDir: repo.environmentsDir });
      expect(plan.changes.map((change) => formatPath(change.path))).toEqual(['promotable.feature.checkout-v2', 'promotable.search.pageSize']);
      expect(plan.stacks).toEqual([]);
    });

    it('--write rewrites only the changed literals of staging, keeping comments and formatting', () => {
      const before = repo.read('staging');
      const devBefore = repo.read('dev');
      const { code, out } = run('dev', 'staging', '--write');
      expect(code).toBe(0);
      expect(out).toMatch(/services\.list\.api\.image\s+api:3\.0\.0\s+api:3\.1\.0/);
      expect(out).toMatch(/staging-platform\n\s+~ aws_ecs_task_definition\./);
      expect(out).toMatch(/Wrote environments\/staging\/config.ts/);
      const expected = before
        .replace(`image: '${IMAGES.staging.api}'`, `image: '${IMAGES.dev.api}'`)
        .replace(
          "    'feature.checkout-v2': false, // off until QA signs off\n    retries: 3,\n",
          "    'feature.checkout-v2': true, // off until QA signs off\n    retries: 3,\n    'search.pageSize': 50,\n",
        );
      expect(expected).not.toBe(before);
      expect(repo.read('staging')).toBe(expected);
      expect(repo.read('dev')).toBe(devBefore);
    });
  });

  describe('refusals: one error line, exit 1, nothing written', () => {
    const untouched = () => ['dev', 'staging', 'prod'].map((env) => repo.read(env));

    it.each([
      [['dev', 'prod'], /^promote: promoting dev -> prod skips staging .*--force --reason/],
      [['dev', 'prod', '--write'], /^promote: promoting dev -> prod skips staging/],
      [['dev', 'prod', '--force', '--write'], /^promote: --force needs --reason/],
      [['qa', 'staging'], /^promote: unknown environment "qa"; known: dev, prod, shared, staging/],
      [['dev', 'shared', '--write'], /^promote: environment "shared" is not in the promotion chain/],
      [['dev'], /^promote: name two environments/],
      [['--diff', '--status'], /^promote: --diff and --status are separate reports/],
      [['--status', '--json'], /^promote: --json goes with --diff/],
      [['dev', 'staging', '--json'], /^promote: --json goes with --diff/],
    ])('%j', (argv, message) => {
      const files = untouched();
      const { code, errLines } = run(...argv);
      expect(code).toBe(1);
      expect(errLines).toHaveLength(1);
      expect(errLines[0]).toMatch(message);
      expect(untouched()).toEqual(files);
    });

    it('refuses --write when the target config has uncommitted changes', () => {
      repo.write('staging', `${repo.read('staging')}// local edit\n`);
      const staged = repo.read('staging');
      const { code, errLines } = run('dev', 'staging', '--write');
      expect(code).toBe(1);
      expect(errLines).toEqual([expect.stringMatching(/^promote: environments\/staging\/config.ts has uncommitted changes \(git status: M environments\/staging\/config.ts\); commit or discard them before --write, nothing written/)]);
      expect(repo.read('staging')).toBe(staged);
    });

    it('refuses a pinned image that does not parse, naming environment and field', () => {
      repo.write('dev', pinImages(repo.read('dev'), { api: 'api@sha256:abc' }));
      const staging = repo.read('staging');
      const { code, errLines } = run('dev', 'staging', '--write');
      expect(code).toBe(1);
      expect(errLines).toHaveLength(1);
      expect(errLines[0]).toMatch(/^promote: environments\/dev\/config.ts: services.*api.*(sha256|digest)/);
      expect(repo.read('staging')).toBe(staging);
    });
  });

  it('dev -> prod with --force and a reason shows the plan and says it was forced', () => {
    const { code, out } = run('dev', 'prod', '--force', '--reason', 'hotfix INC-42', '--no-synth');
    expect(code).toBe(0);
    expect(out).toMatch(/FORCED: skips staging; reason: hotfix INC-42/);
    expect(out).toMatch(/services\.list\.api\.image\s+api:2\.9\.0\s+api:3\.1\.0/);
    expect(out).toMatch(/promotable\.retries\s+\(unset\)\s+3/);
    expect(out).toMatch(/Synthesized Terraform: not compared \(--no-synth\)/);
  });

  describe('--diff', () => {
    /** `--diff` blocks by heading (`setting` or `setting *`): [environment, value] per line. */
    const blocksOf = (out: string) =>
      new Map(
        out
          .split('\n\n')
          .slice(1, -1)
          .map((block) => {
            const [heading, ...lines] = block.split('\n');
            return [heading, lines.map((line) => line.trim().split(/\s{2,}/))] as const;
          }),
      );

    it('lists the settings that differ across dev, staging and prod, promotable ones marked, within 120 columns', () => {
      const { code, out } = run('--diff');
      expect(code).toBe(0);
      const lines = out.split('\n');
      expect(lines[0]).toMatch(/^Settings that differ across dev, staging, prod/);
      // Full ARNs made it 300+ columns wide as one table: one block per setting instead.
      expect(Math.max(...lines.map((line) => line.length))).toBeLessThanOrEqual(120);
      const blocks = blocksOf(out);
      expect(blocks.get('services.list.api.image *')).toEqual([['dev', 'api:3.1.0'], ['staging', 'api:3.0.0'], ['prod', 'api:2.9.0']]);
      expect(blocks.get('promotable.search.pageSize *')).toEqual([['dev', '50'], ['staging', '(unset)'], ['prod', '(unset)']]);
      expect(blocks.get('vpcCidr')).toEqual([['dev', '10.10.0.0/16'], ['staging', '10.20.0.0/16'], ['prod', '10.30.0.0/16']]);
      expect(blocks.get('deployRoleArn')?.[0]).toEqual(['dev', expect.stringMatching(/^arn:aws:iam::\d{12}:role\//)]);
      // Equal everywhere: not a block.
      expect(blocks.has('region')).toBe(false);
      expect(blocks.has('services.list.api.port')).toBe(false);
      // Set in dev and staging only: drift.
      expect(blocks.get('promotable.retries *')).toEqual([['dev', '3'], ['staging', '3'], ['prod', '(unset)']]);
    });

    it('cuts a value too long for 120 columns in the middle, and --json prints it in full', () => {
      const long = `https://${'very-long-subdomain.'.repeat(8)}acme.example/healthz`;
      repo.write('dev', repo.read('dev').replace(/notify: \{/, `notify: { 'long-hook': { protocol: 'https', endpoint: '${long}' },`));
      const { code, out } = run('--diff');
      expect(code).toBe(0);
      expect(Math.max(...out.split('\n').map((line) => line.length))).toBeLessThanOrEqual(120);
      const [, shown] = blocksOf(out).get('observability.alerts.notify.long-hook.endpoint')![0];
      expect(shown).toMatch(/^https:\/\/very-long-subdomain\..*….*acme\.example\/healthz$/);
      expect(out).toMatch(/Values cut with … are shown in full by: npm run promote -- --diff --json$/);

      const json = JSON.parse(run('--diff', '--json').out);
      expect(json.environments).toEqual(['dev', 'staging', 'prod']);
      expect(json.settings).toContainEqual(expect.objectContaining({ setting: 'observability.alerts.notify.long-hook.endpoint', values: { dev: long, staging: null, prod: null } }));
      expect(json.settings).toContainEqual(expect.objectContaining({ setting: 'services.list.api.image', promotable: true }));
    });

    it('prints markdown with --markdown', () => {
      const { out } = run('--diff', '--markdown');
      expect(out).toContain('| setting | dev | staging | prod | promotable |');
      expect(out).toMatch(/\| services\.list\.api\.image \| api:3\.1\.0 \| api:3\.0\.0 \| api:2\.9\.0 \| \* \|/);
    });
  });

  describe('--status', () => {
    it('shows "never deployed" for environments without a deployment tag', () => {
      const { code, out } = run('--status');
      expect(code).toBe(0);
      expect(out.match(/deployed: never deployed/g)).toHaveLength(4);
    });

    it('lists the environments outside the chain after it, marked as such', () => {
      // qa: a copy of dev in its own account and range, kept out of the chain (no `promotion`).
      const qa = repo
        .read('dev')
        .replace(/name: 'dev'/, "name: 'qa'")
        .replace(/environment: 'dev'/, "environment: 'qa'")
        .replace(/510987654321/g, '810987654321')
        .replace('10.10.0.0/16', '10.40.0.0/16')
        .replace(/\n\s*promotion: \{\},/, '');
      fs.mkdirSync(path.join(repo.environmentsDir, 'qa'));
      fs.writeFileSync(path.join(repo.environmentsDir, 'qa', 'config.ts'), qa);
      const { code, out, err } = run('--status');
      expect(err).toBe('');
      expect(code).toBe(0);
      const headings = out.split('\n\n').map((block) => block.split('\n')[0]);
      expect(headings).toEqual([
        'dev (start of the chain)',
        'staging (promoted from dev)',
        'prod (promoted from staging)',
        'qa (outside the promotion chain: deployed from its own config, nothing is promoted into it)',
        'shared (outside the promotion chain: deployed from its own config, nothing is promoted into it)',
      ]);
      const qaBlock = out.split('\n\n')[3];
      expect(qaBlock).toMatch(/services\.list\.api\.image\s+api:3\.1\.0/);
      expect(qaBlock).not.toMatch(/waiting in/);
    });

    it('shows the deployed commit, pins and what is waiting from tags deployed/<env>', () => {
      const initial = repo.git('rev-parse', '--short', 'HEAD').trim();
      repo.git('tag', 'deployed/staging');
      repo.git('tag', 'deployed/prod');
      repo.write('dev', pinImages(repo.read('dev'), { api: 'api:3.2.0' }));
      repo.commit('dev: api 3.2.0');
      repo.git('tag', 'deployed/dev');
      const devDeployed = repo.git('rev-parse', '--short', 'HEAD').trim();
      fs.writeFileSync(path.join(repo.root, 'modules', 'example.ts'), 'export const version = 2;\n');
      repo.commit('modules: version 2');
      repo.write('prod', `${repo.read('prod')}// prod only\n`);
      repo.commit('prod: comment');

      const { code, out } = run('--status');
      expect(code).toBe(0);
      const [dev, staging, prod] = out.split('\n\n');
      expect(dev).toMatch(new RegExp(`^dev \\(start of the chain\\)\\n  deployed: ${devDeployed} \\d{4}-\\d\\d-\\d\\d dev: api 3.2.0`));
      expect(dev).toMatch(/services\.list\.api\.image\s+api:3\.2\.0/);
      expect(dev).toMatch(/commits: 1 on main since \w+ touching environments\/dev\/ or code:\n\s+\w+ [\d-]+ modules: version 2 \[code\]$/);

      expect(staging).toMatch(new RegExp(`^staging \\(promoted from dev\\)\\n  deployed: ${initial} [\\d-]+ initial platform`));
      expect(staging).toMatch(/waiting in dev: 3 pinned value\(s\) differ/);
      expect(staging).toMatch(/services\.list\.api\.image\s+api:3\.0\.0\s+api:3\.2\.0/);
      expect(staging).toMatch(/commits: 2 on main since \w+ touching environments\/dev\/ or code:\n\s+\w+ [\d-]+ modules: version 2 \[code\]\n\s+\w+ [\d-]+ dev: api 3.2.0 \[config\]$/);

      expect(prod).toMatch(/waiting in staging: 4 pinned value\(s\) differ/);
      expect(prod).toMatch(/services\.list\.web\.image\s+web:2\.2\.1\s+web:2\.3\.0/);
      expect(prod).toMatch(/promotable\.retries\s+\(unset\)\s+3/);
      // The prod-only commit touches neither staging's config nor code.
      expect(prod).toMatch(/commits: 1 on main since \w+ touching environments\/staging\/ or code:\n\s+\w+ [\d-]+ modules: version 2 \[code\]$/);
    });
  });

  describe('as a process (the npm script)', () => {

    it.each([
      [['dev', 'prod'], 1, /^promote: promoting dev -> prod skips staging/],
      [['--diff'], 0, /^$/],
    ])('%j exits %i', (argv, status, stderr) => {
      const result = spawnSync(process.execPath, [...npmScriptNodeArgs('promote'), ...argv, '--environments', repo.environmentsDir], { cwd: PROJECT_ROOT, encoding: 'utf8' });
      expect(result.stderr).toMatch(stderr);
      expect(result.status).toBe(status);
    });
  });
});
