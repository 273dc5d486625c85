/**
 * Which stacks a change affects (tools/plan/affected.ts), from configs, synthesized output and git history.
 *
 * @slow 8 real git repositories and a synth per compared tree
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { affectedJson, affectedStacks, canonicalConfig, compareOutdirs, githubOutputLines, main } from '../../../tools/plan/affected';
import { namesOnlyCatalog, platformCatalog } from '../../../tools/plan/stack-catalog';
import { shippedPlatform } from '../../helpers/platform';

const tmp = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), prefix));

/** A fake synth outdir: stack name -> cdk.tf.json text. */
function outdirWith(stacks: Record<string, string>): string {
  const outdir = tmp('affected-out-');
  for (const [name, text] of Object.entries(stacks)) {
    fs.mkdirSync(path.join(outdir, 'stacks', name), { recursive: true });
    fs.writeFileSync(path.join(outdir, 'stacks', name, 'cdk.tf.json'), text);
  }
  return outdir;
}

const vpc = {
  '//': { metadata: { version: '0.21.0', stackName: 'dev-network' } },
  terraform: { backend: { s3: { bucket: 'b', key: 'dev/network.tfstate' } } },
  resource: { aws_vpc: { vpc: { '//': { metadata: { path: 'dev-network/vpc', uniqueId: 'vpc' } }, cidr_block: '10.1.0.0/16', tags: { a: '1', b: '2' } } } },
};

describe('the semantic comparison', () => {
  describe('canonicalConfig', () => {
    it('ignores key order, whitespace and cdktf metadata', () => {
      const reordered = {
        resource: { aws_vpc: { vpc: { tags: { b: '2', a: '1' }, cidr_block: '10.1.0.0/16', '//': { metadata: { path: 'elsewhere' } } } } },
        terraform: { backend: { s3: { key: 'dev/network.tfstate', bucket: 'b' } } },
        '//': { metadata: { version: '0.99.0' } },
      };
      expect(canonicalConfig(reordered)).toBe(canonicalConfig(vpc));
    });

    it('ignores top-level keys that are not Terraform configuration', () => {
      expect(canonicalConfig({ ...vpc, cdktfNotes: { synthesizedAt: 'now' } })).toBe(canonicalConfig(vpc));
    });

    it.each([
      ['a changed value', { ...vpc, resource: { aws_vpc: { vpc: { cidr_block: '10.2.0.0/16', tags: { a: '1', b: '2' } } } } }],
      ['a new output', { ...vpc, output: { vpc_id: { value: '${aws_vpc.vpc.id}' } } }],
      ['a reordered list', { ...vpc, provider: { aws: [{ region: 'eu-west-1' }, { alias: 'hub', region: 'eu-west-1' }].reverse() } }],
    ])('tells %s apart', (_, changed) => {
      expect(canonicalConfig(changed)).not.toBe(canonicalConfig(vpc));
    });
  });

  describe('compareOutdirs', () => {
    const base = outdirWith({
      'dev-network': JSON.stringify(vpc),
      'dev-secrets': JSON.stringify({ resource: { aws_kms_key: { key: { description: 'x' } } } }),
      'dev-old': '{}',
      'dev-same': JSON.stringify(vpc),
    });
    const head = outdirWith({
      'dev-network': JSON.stringify({ ...vpc, output: { id: { value: 'x' } } }),
      'dev-secrets': JSON.stringify({ resource: { aws_kms_key: { key: { description: 'y' } } } }),
      'dev-new': '{}',
      'dev-same': JSON.stringify(JSON.parse(JSON.stringify(vpc)), null, 4),
    });

    it('lists changed, added and removed stacks, and leaves reformatted ones out', () => {
      expect(compareOutdirs(base, head)).toEqual([
        { stack: 'dev-network', change: 'changed' },
        { stack: 'dev-new', change: 'added' },
        { stack: 'dev-old', change: 'removed' },
        { stack: 'dev-secrets', change: 'changed' },
      ]);
    });

    it('finds nothing between an outdir and itself', () => {
      expect(compareOutdirs(head, head)).toEqual([]);
    });

    it('names the file that is not JSON', () => {
      const broken = outdirWith({ 'dev-network': '{ not json' });
      expect(() => compareOutdirs(base, broken)).toThrow(/dev-network\/cdk\.tf\.json is not readable JSON/);
    });
  });
});

describe('the matrix JSON', () => {
  const platform = shippedPlatform();
  const catalog = platformCatalog(platform);
  const json = affectedJson(
    [
      { stack: 'prod-network', change: 'changed' },
      { stack: 'dev-platform', change: 'changed' },
      { stack: 'dev-network', change: 'added' },
      { stack: 'shared-bootstrap', change: 'changed' },
      { stack: 'staging-network', change: 'changed' },
      { stack: 'shared-network-hub', change: 'changed' },
      { stack: 'dev-gone', change: 'removed' },
    ],
    catalog,
  );

  it('orders stacks shared first, then the promotion chain, then the layer order inside each environment', () => {
    expect(json.stacks).toEqual(['shared-bootstrap', 'shared-network-hub', 'dev-network', 'dev-platform', 'staging-network', 'prod-network']);
    expect(json.environments).toEqual(['shared', 'dev', 'staging', 'prod']);
  });

  it('gives every stack its environment, region and CI roles in the tooling account', () => {
    expect(json.include).toContainEqual({
      stack: 'dev-network',
      environment: 'dev',
      change: 'added',
      region: 'eu-west-1',
      planRoleArn: 'arn:aws:iam::410987654321:role/ci-plan-dev',
      applyRoleArn: 'arn:aws:iam::410987654321:role/ci-apply-dev',
    });
    expect(json.include.find((entry) => entry.stack === 'shared-bootstrap')?.planRoleArn).toBe('arn:aws:iam::410987654321:role/ci-plan-shared');
  });

  it('plans the bootstrap stack but leaves it out of the applies', () => {
    expect(json.apply).toEqual({ shared: ['shared-network-hub'], dev: ['dev-network', 'dev-platform'], staging: ['staging-network'], prod: ['prod-network'] });
  });

  it('keeps removed stacks out of the matrix and lists them', () => {
    expect(json.stacks).not.toContain('dev-gone');
    expect(json.removed).toEqual(['dev-gone']);
  });

  it('writes GitHub outputs for every environment, empty where nothing is applied', () => {
    const lines = githubOutputLines(affectedJson([{ stack: 'dev-network', change: 'changed' }], catalog), catalog, ['dev', 'prod']).split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        `matrix=${JSON.stringify({ include: affectedJson([{ stack: 'dev-network', change: 'changed' }], catalog).include })}`,
        'count=1',
        'stacks=dev-network',
        'environments=["dev"]',
        'apply-dev=dev-network',
        'apply-prod=',
        'apply-role-prod=arn:aws:iam::410987654321:role/ci-apply-prod',
        'region-dev=eu-west-1',
      ]),
    );
  });

  it('falls back to names alone without a platform config', () => {
    const names = affectedJson([{ stack: 'qa-network', change: 'changed' }, { stack: 'ops-bootstrap', change: 'changed' }], namesOnlyCatalog(['ops']));
    expect(names.include).toEqual([
      { stack: 'ops-bootstrap', environment: 'ops', change: 'changed' },
      { stack: 'qa-network', environment: 'qa', change: 'changed' },
    ]);
    expect(names.apply).toEqual({ qa: ['qa-network'] });
  });
});

describe('affected against a real git repository', () => {
  // A tiny project: stacks.json holds the stacks; a legacy main.ts (CDKTF_OUTDIR) and later a
  // tools/synth/cli.ts (--outdir) write them as cdktf.out/stacks/<name>/cdk.tf.json.
  const writeStacks = `
    const stacks = JSON.parse(fs.readFileSync('stacks.json', 'utf8'));
    for (const [name, json] of Object.entries(stacks)) {
      fs.mkdirSync(path.join(outdir, 'stacks', name), { recursive: true });
      fs.writeFileSync(path.join(outdir, 'stacks', name, 'cdk.tf.json'), JSON.stringify(json, null, 2));
    }`;
  const legacyMain = `import * as fs from 'fs';\nimport * as path from 'path';\nconst outdir = process.env.CDKTF_OUTDIR!;\n${writeStacks}\n`;
  const synthCli = `import * as fs from 'fs';\nimport * as path from 'path';\nconst outdir = process.argv[process.argv.indexOf('--outdir') + 1];\n${writeStacks}\n`;
  const repo = tmp('affected-repo-');
  const gitIn = (...args: string[]) => execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8' });
  const writeFile = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(repo, file)), { recursive: true });
    fs.writeFileSync(path.join(repo, file), text);
  };
  const commit = (message: string) => {
    gitIn('add', '-A');
    gitIn('-c', 'user.name=test', '-c', 'user.email=test@example.com', 'commit', '-q', '-m', message);
    return gitIn('rev-parse', 'HEAD').trim();
  };

  gitIn('init', '-q');
  writeFile('main.ts', legacyMain);
  writeFile('stacks.json', JSON.stringify({ 'dev-network': { resource: { aws_vpc: { vpc: { cidr_block: '10.1.0.0/16' } } } }, 'dev-old': {} }));
  const legacy = commit('legacy app');
  writeFile('tools/synth/cli.ts', synthCli);
  writeFile(
    'stacks.json',
    JSON.stringify({ 'dev-network': { resource: { aws_vpc: { vpc: { cidr_block: '10.1.0.0/16' } } } }, 'dev-old': {}, 'dev-secrets': { output: { a: { value: 1 } } } }),
  );
  commit('synth cli');
  // The working tree: dev-secrets changes, dev-old goes, dev-new comes, dev-network is only re-ordered.
  writeFile(
    'stacks.json',
    JSON.stringify({ 'dev-new': {}, 'dev-secrets': { output: { a: { value: 2 } } }, 'dev-network': { resource: { aws_vpc: { vpc: { cidr_block: '10.1.0.0/16' } } } } }),
  );

  it('compares the working tree with HEAD through the base tree\'s own synth CLI', () => {
    const result = affectedStacks({ root: repo, base: 'HEAD' });
    expect(result.baseCommit).toBe(gitIn('rev-parse', 'HEAD').trim());
    expect(result.stacks).toEqual([
      { stack: 'dev-new', change: 'added' },
      { stack: 'dev-old', change: 'removed' },
      { stack: 'dev-secrets', change: 'changed' },
    ]);
  });

  it('synthesizes an older base without the synth CLI through main.ts; the synth tooling changed since, so every stack is affected', () => {
    expect(affectedStacks({ root: repo, base: legacy }).stacks).toEqual([
      { stack: 'dev-network', change: 'toolchain', because: ['tools/synth/cli.ts'] },
      { stack: 'dev-new', change: 'added' },
      { stack: 'dev-old', change: 'removed' },
      { stack: 'dev-secrets', change: 'added' },
    ]);
  });

  it('leaves the repository as it was: no worktree, no change to the working tree', () => {
    expect(gitIn('worktree', 'list').trim().split('\n')).toHaveLength(1);
    expect(gitIn('status', '--porcelain').trim()).toBe('M stacks.json');
  });

  describe('the CLI', () => {
    const run = async (...argv: string[]) => {
      let stdout = '';
      let stderr = '';
      const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
      return { code, stdout, stderr };
    };

    it('prints one stack per line, removed ones included', async () => {
      const { code, stdout, stderr } = await run('--base', 'HEAD', '--root', repo);
      expect(code).toBe(0);
      // Apply order: known layers first (secrets), then the stack of no known layer, then removed ones.
      expect(stdout).toBe('dev-secrets\ndev-new\ndev-old\n');
      expect(stderr).toMatch(/^affected: stack dev-old was removed: planned as a destroy from the base commit's configuration .*allow-destroy:dev/);
    });

    it('prints the matrix JSON', async () => {
      const { code, stdout } = await run('--base', 'HEAD', '--root', repo, '--json');
      expect(code).toBe(0);
      expect(JSON.parse(stdout)).toMatchObject({
        stacks: ['dev-secrets', 'dev-new'],
        count: 3,
        include: [
          { stack: 'dev-secrets', environment: 'dev', change: 'changed' },
          { stack: 'dev-new', environment: 'dev', change: 'added' },
          { stack: 'dev-old', environment: 'dev', change: 'removed' },
        ],
        removed: ['dev-old'],
      });
    });

    it.each([
      [['--base', 'no-such-ref'], /^affected: --base "no-such-ref" is not a commit of .*; fetch it first/],
      [[], /^affected: pass --base <git ref> \(for example origin\/main\) or --all\n$/],
      [['--base', 'HEAD', '--all'], /^affected: pass either --base <git ref> or --all, not both\n$/],
    ])('refuses %j with one line', async (args, message) => {
      const { code, stdout, stderr } = await run(...args, '--root', repo);
      expect(code).toBe(1);
      expect(stdout).toBe('');
      expect(stderr).toMatch(message);
      expect(stderr.trim().split('\n')).toHaveLength(1);
    });

    it('says which side failed to synthesize', async () => {
      const broken = tmp('affected-broken-');
      execFileSync('git', ['-C', broken, 'init', '-q']);
      fs.writeFileSync(path.join(broken, 'main.ts'), "throw new Error('config is broken');\n");
      execFileSync('git', ['-C', broken, 'add', '-A']);
      execFileSync('git', ['-C', broken, '-c', 'user.name=t', '-c', 'user.email=t@e', 'commit', '-q', '-m', 'x']);
      const { code, stderr } = await run('--base', 'HEAD', '--root', broken);
      expect(code).toBe(1);
      expect(stderr).toMatch(/^affected: synthesizing --base HEAD \([0-9a-f]{12}\) failed: Error: config is broken\n$/);
    });
  });
});
