/**
 * Promotion reads what was deployed: the source's pins come from its config at `deployed/<from>`,
 * never from the working tree; and the CI check that each environment's pins were deployed in
 * the one before. Every test builds its own git repository (fixtures.ts).
 */
import { planPromotion } from '../../../tools/promote/promote';
import { formatPath } from '../../../tools/promote/paths';
import { promoteCli, IMAGES, pinImages, promoteRepo, type PromoteRepo } from './fixtures';

describe('promotion reads deployed/<from>', () => {
  let repo: PromoteRepo;
  beforeEach(() => {
    repo = promoteRepo();
  });
  afterEach(() => repo.cleanup());

  const run = (...argv: string[]) => promoteCli(repo)(...argv);
  const plan = (options: { force?: boolean; reason?: string } = {}) => planPromotion('dev', 'staging', { environmentsDir: repo.environmentsDir, synth: false, ...options });
  const imageChange = (p: ReturnType<typeof plan>) => p.changes.find((change) => formatPath(change.path) === 'services.list.api.image');

  describe('without the tag', () => {
    it('refuses, saying what to do, and writes nothing', () => {
      const staging = repo.read('staging');
      const { code, errLines } = run('dev', 'staging', '--write', '--no-synth');
      expect(code).toBe(1);
      expect(errLines).toEqual([
        expect.stringMatching(/^promote: deployed\/dev does not exist: dev was never deployed by apply\.yml \(or the tags were not fetched: git fetch --tags\).*deploy dev first, or pass --force --reason/),
      ]);
      expect(repo.read('staging')).toBe(staging);
    });

    it('promotes the working tree with --force --reason, and says so', () => {
      const { code, out } = run('dev', 'staging', '--force', '--reason', 'first promotion of a new chain', '--no-synth');
      expect(code).toBe(0);
      expect(out).toMatch(/Pins of dev read from working tree\nWARNING: deployed\/dev does not exist: promoting dev's working tree, which was never deployed \(forced: first promotion of a new chain\)/);
      expect(out).toMatch(/services\.list\.api\.image\s+api:3\.0\.0\s+api:3\.1\.0/);
    });
  });

  describe('with the tag', () => {
    let deployedSha: string;
    beforeEach(() => {
      repo.git('tag', 'deployed/dev');
      deployedSha = repo.git('rev-parse', 'HEAD').trim();
    });

    it('promotes the deployed pins and names the commit', () => {
      const { code, out } = run('dev', 'staging', '--no-synth');
      expect(code).toBe(0);
      expect(out).toContain(`Pins of dev read from deployed/dev (${deployedSha.slice(0, 7)})`);
      expect(out).not.toContain('WARNING');
      expect(imageChange(plan())?.promoted).toBe(IMAGES.dev.api);
    });

    it('ignores an uncommitted pin of the source, with a warning', () => {
      repo.write('dev', pinImages(repo.read('dev'), { api: 'api:9.9.9' }));
      const result = plan();
      expect(imageChange(result)?.promoted).toBe(IMAGES.dev.api);
      expect(result.source.warnings).toEqual([
        `environments/dev/config.ts differs from what dev runs (deployed/dev = ${deployedSha.slice(0, 7)}): uncommitted changes; promoting the deployed values, not the local ones`,
      ]);
      const { out } = run('dev', 'staging', '--no-synth');
      expect(out).toMatch(/WARNING: environments\/dev\/config\.ts differs from what dev runs/);
      expect(out).not.toContain('api:9.9.9');
    });

    it('ignores a committed pin not deployed yet, with a warning counting the commits', () => {
      repo.write('dev', pinImages(repo.read('dev'), { api: 'api:9.9.9' }));
      repo.commit('dev: api 9.9.9 (merged, not applied yet)');
      const result = plan();
      expect(imageChange(result)?.promoted).toBe(IMAGES.dev.api);
      expect(result.source.warnings).toEqual([expect.stringMatching(/: 1 commit\(s\) not deployed to dev yet; promoting the deployed values/)]);
    });

    it('follows the tag when apply moves it', () => {
      repo.write('dev', pinImages(repo.read('dev'), { api: 'api:9.9.9' }));
      repo.commit('dev: api 9.9.9');
      repo.git('tag', '-f', 'deployed/dev');
      const result = plan();
      expect(imageChange(result)?.promoted).toBe('api:9.9.9');
      expect(result.source.warnings).toEqual([]);
    });
  });
});

describe('promote --check-deployed (CI)', () => {
  let repo: PromoteRepo;
  beforeEach(() => {
    repo = promoteRepo();
  });
  afterEach(() => repo.cleanup());

  const check = (...argv: string[]) => promoteCli(repo)('--check-deployed', ...argv);
  /** Staging and prod pin exactly what dev and staging run, and all three are deployed. */
  const inStep = () => {
    repo.write('staging', pinImages(repo.read('staging'), IMAGES.dev));
    repo.write('prod', pinImages(repo.read('prod'), IMAGES.dev));
    repo.write('staging', repo.read('staging').replace("'feature.checkout-v2': false", "'feature.checkout-v2': true"));
    repo.commit('promote everything');
    for (const env of ['dev', 'staging', 'prod']) repo.git('tag', '-f', `deployed/${env}`);
  };

  it('passes when every pin of staging and prod runs in the environment before', () => {
    inStep();
    // prod does not set the promotable flags; staging's retries and flag equal dev's.
    const { code, out } = check();
    expect(code).toBe(0);
    expect(out).toMatch(/^\d+ value\(s\) pinned: each was deployed in the environment before it\.$/);
  });

  it('fails for a pin of staging that dev never ran, naming file, field, values and the fix', () => {
    inStep();
    repo.write('staging', pinImages(repo.read('staging'), { api: 'api:4.0.0' }));
    const { code, errLines } = check();
    expect(code).toBe(1);
    expect(errLines).toEqual([
      expect.stringMatching(/^promote: 1 of \d+ value\(s\) pinned were not deployed in the environment before:$/),
      expect.stringMatching(/^promote: {3}environments\/staging\/config\.ts: services\.list\.api\.image = api:4\.0\.0, but dev runs api:3\.1\.0 \(deployed\/dev = [0-9a-f]{7}\); promote with `npm run promote -- dev staging` after deploying dev$/),
    ]);
  });

  it('fails for a pin that is committed in dev but not deployed there', () => {
    inStep();
    repo.write('dev', pinImages(repo.read('dev'), { api: 'api:5.0.0' }));
    repo.write('staging', pinImages(repo.read('staging'), { api: 'api:5.0.0' }));
    repo.commit('dev and staging at once');
    const { code, errLines } = check();
    expect(code).toBe(1);
    expect(errLines.join('\n')).toMatch(/staging\/config\.ts: services\.list\.api\.image = api:5\.0\.0, but dev runs api:3\.1\.0/);
  });

  it('fails every checked pin when the environment before was never deployed', () => {
    inStep();
    repo.git('tag', '-d', 'deployed/dev');
    const { code, errLines } = check();
    expect(code).toBe(1);
    expect(errLines.join('\n')).toMatch(/staging\/config\.ts: services\.list\.api\.image = api:3\.1\.0, but deployed\/dev does not exist: dev has deployed nothing/);
  });

  // Each test loads the working-tree configs once: Node caches a required config.ts by its path.
  describe('with --base: only the pins a pull request changes', () => {
    let base: string;
    beforeEach(() => {
      // Nothing deployed but dev, and staging behind dev: only what the pull request touches counts.
      base = repo.git('rev-parse', 'HEAD').trim();
      repo.git('tag', 'deployed/dev');
    });

    it('passes a pull request that changes no pin', () => {
      expect(check('--base', base)).toMatchObject({ code: 0, out: `0 value(s) changed since ${base}: each was deployed in the environment before it.` });
    });

    it('passes a promotion of what dev runs', () => {
      repo.write('staging', pinImages(repo.read('staging'), { api: IMAGES.dev.api }));
      repo.commit('promote api to staging');
      expect(check('--base', base)).toMatchObject({ code: 0, out: `1 value(s) changed since ${base}: each was deployed in the environment before it.` });
    });

    it('fails a pin changed in prod that staging never deployed', () => {
      repo.write('prod', pinImages(repo.read('prod'), { web: 'web:7.0.0' }));
      const failed = check('--base', base);
      expect(failed.code).toBe(1);
      expect(failed.errLines.join('\n')).toMatch(/prod\/config\.ts: services\.list\.web\.image = web:7\.0\.0, but deployed\/staging does not exist/);
    });
  });

  it.each([
    [['dev', 'staging'], /^promote: --check-deployed takes no environments/],
    [['--base', 'no-such-ref'], /^promote: --base no-such-ref is no commit of the repository/],
  ])('refuses %j with one line', (argv, message) => {
    const { code, errLines } = check(...argv);
    expect(code).toBe(1);
    expect(errLines).toEqual([expect.stringMatching(message)]);
  });
});
