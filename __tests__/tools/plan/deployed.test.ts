/**
 * Apply selects its stacks from `deployed/<env>` (tools/plan/deployed.ts): a run that was cancelled
 * or failed leaves the tag behind, and the next run catches its stacks up.
 *
 * @slow 6 real git repository and a synth per compared tree
 */
import { main } from '../../../tools/plan/affected';
import { deployedTag, parseIfBaseMissing } from '../../../tools/plan/deployed';
import { stacksRepo } from './stacks-repo';

describe('apply driven by deployed/<env>', () => {
  const { root: repo, git: gitIn, merge } = stacksRepo(
    {
      'dev-network': { resource: { aws_vpc: { vpc: { cidr_block: '10.1.0.0/16' } } } },
      'dev-secrets': { resource: { aws_kms_key: { key: { description: 'v1' } } } },
      'prod-network': { resource: { aws_vpc: { vpc: { cidr_block: '10.3.0.0/16' } } } },
    },
    ['dev', 'prod'],
  );
  const affectedFor = async (env: string, ...extra: string[]) => {
    let stdout = '';
    let stderr = '';
    const code = await main(['--base', deployedTag(env), '--environment', env, '--root', repo, '--json', ...extra], {
      stdout: (t) => (stdout += t),
      stderr: (t) => (stderr += t),
    });
    return { code, stderr, json: code === 0 ? (JSON.parse(stdout) as { stacks: string[]; apply: Record<string, string[]> }) : undefined };
  };
  /** What apply.yml does after every stack of the environment applied: move the tag to the applied commit. */
  const tagDeployed = (env: string, commit: string) => gitIn('tag', '-f', deployedTag(env), commit);

  const first = merge('first deploy');
  gitIn('checkout', '-q', '--detach', first);

  it('applies every stack of an environment that was never deployed (no tag yet), and refuses that without --if-base-missing all', async () => {
    const refused = await affectedFor('dev');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/--base "deployed\/dev" is not a commit/);
    const firstDeploy = await affectedFor('dev', '--if-base-missing', 'all');
    expect(firstDeploy.code).toBe(0);
    expect(firstDeploy.stderr).toContain('deployed/dev names no commit yet; every stack counts as added');
    expect(firstDeploy.json!.stacks).toEqual(['dev-network', 'dev-secrets']);
    tagDeployed('dev', first);
    tagDeployed('prod', first);
  });

  it('catches up the stacks of a cancelled run: the tag stayed behind, so they still differ', async () => {
    // Push B changes dev-network; its apply run is cancelled by push C (same concurrency group),
    // so nothing of B is applied and deployed/dev stays at the first commit.
    merge('B: dev-network', 'dev-network', { resource: { aws_vpc: { vpc: { cidr_block: '10.1.0.0/17' } } } });
    const c = merge('C: dev-secrets', 'dev-secrets', { resource: { aws_kms_key: { key: { description: 'v2' } } } });
    gitIn('checkout', '-q', '--detach', c);
    // github.event.before of push C is B: a diff against it would find dev-secrets alone.
    const run = await affectedFor('dev');
    expect(run.code).toBe(0);
    expect(run.json!.stacks).toEqual(['dev-network', 'dev-secrets']);
    expect(run.json!.apply).toEqual({ dev: ['dev-network', 'dev-secrets'] });
    tagDeployed('dev', c);
  });

  it('finds nothing once the environment applied everything, and keeps other environments apart', async () => {
    expect((await affectedFor('dev')).json!.stacks).toEqual([]);
    // prod was never applied past the first commit and nothing of prod changed since.
    expect((await affectedFor('prod')).json!.stacks).toEqual([]);
    const d = merge('D: prod-network', 'prod-network', { resource: { aws_vpc: { vpc: { cidr_block: '10.4.0.0/16' } } } });
    gitIn('checkout', '-q', '--detach', d);
    expect((await affectedFor('dev')).json!.stacks).toEqual([]);
    expect((await affectedFor('prod')).json!.stacks).toEqual(['prod-network']);
  });

  it('refuses an environment that does not exist instead of applying nothing', async () => {
    const typo = await affectedFor('dve', '--if-base-missing', 'all');
    expect(typo.code).toBe(1);
    expect(typo.stderr).toMatch(/^affected: .*--environment "dve" is not an environment of this repository; environments\/ holds dev, prod\n$/m);
  });

  it('names the allowed values of --if-base-missing', () => {
    expect(() => parseIfBaseMissing('skip')).toThrow('--if-base-missing "skip" is not allowed; use fail or all');
  });
});
