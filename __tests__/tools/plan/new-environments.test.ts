/**
 * The first pull request of a new environment: it says exactly what to apply first (the CI and
 * state roles live in the hand-applied bootstrap stack). In a git repository built by the test.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bootstrapFirst, main, newEnvironments } from '../../../tools/plan/new-environments';
import { loadPlatform } from '../../../environments/load';
import { deriveEnvironment } from '../../../environments/files';
import { promoteRepo, type PromoteRepo } from '../promote/fixtures';
import { shippedConfigs, writeEnvironment } from '../../helpers/environments';

describe('new environments', () => {
  let repo: PromoteRepo;
  let base: string;
  beforeEach(() => {
    repo = promoteRepo({ promotable: false });
    base = repo.git('rev-parse', 'HEAD').trim();
  });
  afterEach(() => repo.cleanup());

  const addQa = () => writeEnvironment(repo.environmentsDir, 'qa', deriveEnvironment(shippedConfigs().dev, { name: 'qa', accountId: '920987654321', vpcCidr: '10.90.0.0/16' }));

  async function run(...argv: string[]) {
    let stdout = '';
    let stderr = '';
    const code = await main([...argv, '--environments', repo.environmentsDir], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
    return { code, stdout, stderr };
  }

  it('finds none when the pull request adds no environment', async () => {
    expect(newEnvironments(repo.environmentsDir, base)).toEqual([]);
    expect(await run('--base', base)).toEqual({ code: 0, stdout: 'no new environment\n', stderr: '' });
  });

  it('finds an environment directory the base does not have, committed or not', () => {
    addQa();
    expect(newEnvironments(repo.environmentsDir, base)).toEqual(['qa']);
    repo.commit('add qa');
    expect(newEnvironments(repo.environmentsDir, base)).toEqual(['qa']);
    expect(newEnvironments(repo.environmentsDir, 'HEAD')).toEqual([]);
  });

  it('says exactly what to apply first, with the roles, the account and the commands', async () => {
    addQa();
    const dir = fs.mkdtempSync(path.join(repo.root, 'out-'));
    const { code, stdout } = await run('--base', base, '--markdown', `${dir}/section.md`, '--github-output', `${dir}/github-output`);
    expect(code).toBe(0);
    expect(fs.readFileSync(`${dir}/github-output`, 'utf8')).toBe('new=["qa"]\n');
    expect(fs.readFileSync(`${dir}/section.md`, 'utf8')).toBe(stdout);
    expect(stdout).toBe(bootstrapFirst(loadPlatform(repo.environmentsDir), ['qa']));
    expect(stdout).toContain('### :construction: New environment qa: apply shared-bootstrap first');
    expect(stdout).toContain('(`ci-plan-qa`, `ci-apply-qa`, `platform-state-qa`) are created by `shared-bootstrap`, which is applied by hand');
    expect(stdout).toContain('administrator credentials of the tooling account (410987654321)');
    expect(stdout).toContain(
      [
        '```sh',
        'npm ci && npm run synth',
        'cd cdktf.out/stacks/shared-bootstrap',
        'terraform init && terraform plan -out bootstrap.tfplan   # review: it adds the roles of qa, nothing else',
        'terraform apply bootstrap.tfplan',
        '```',
      ].join('\n'),
    );
    expect(stdout).toMatch(/Then re-run the plan workflow of this pull request; the plans of qa fail until then\.\n$/);
  });

  it('writes an empty section when nothing is new', async () => {
    const dir = fs.mkdtempSync(path.join(repo.root, 'out-'));
    await run('--base', base, '--markdown', `${dir}/section.md`);
    expect(fs.readFileSync(`${dir}/section.md`, 'utf8')).toBe('');
  });

  it('refuses a base that is no commit, with one line', async () => {
    const { code, stderr } = await run('--base', 'no-such-ref');
    expect(code).toBe(1);
    expect(stderr).toMatch(/^new-environments: --base no-such-ref is no commit of the repository .*; fetch it first\n$/);
  });
});
