/**
 * The drift issue tool (tools/plan/drift.ts) against a fake GitHub repository.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Testing } from 'cdktf';
import { driftScope, driftTitle, main, notCheckedBecause, outcomeOf } from '../../../tools/plan/drift';
import { BootstrapStack } from '../../../stacks/bootstrap-stack';
import { validatePlatform } from '../../../environments/load';
import { fixturePath } from './fixtures';
import { startFakeRepo, type FakeIssue, type FakeRepo } from './fake-github-repo';
import { shippedPlatform, synthJson } from '../../helpers/platform';
import { asRaw, shippedConfigs } from '../../helpers/environments';
import { synthDir } from '../../helpers/synth-dir';

const s3 = { terraform: { backend: { s3: { bucket: 'b', key: 'dev/network.tfstate' } } } };
const local = { terraform: { backend: { local: { path: '../../../bootstrap.tfstate' } } } };

const issue = (number: number, stack: string): FakeIssue => ({ number, title: driftTitle(stack), body: 'old', state: 'open', labels: ['drift'], comments: [] });

describe('drift', () => {
  it.each([
    ['0', 'clean'],
    ['2', 'drift'],
    ['1', 'failed'],
    ['', 'failed'],
    [undefined, 'failed'],
  ])('exit code %j of plan -detailed-exitcode is %s', (code, outcome) => {
    expect(outcomeOf(code)).toBe(outcome);
  });

  describe('scope', () => {
    it('does not check the bootstrap stack before its state is migrated, and does after', () => {
      const before = synthJson(new BootstrapStack(Testing.app(), { platform: shippedPlatform() }));
      expect(notCheckedBecause(before)).toMatch(/its state is local \(the bootstrap stack until its state is migrated/);
      const configs = shippedConfigs();
      configs.shared.organization.state.bootstrapMigrated = true;
      const after = synthJson(new BootstrapStack(Testing.app(), { platform: validatePlatform(asRaw(configs)) }));
      expect(notCheckedBecause(after)).toBeUndefined();
    });

    it('splits a synth output into checked and not checked stacks', () => {
      const { checked, notChecked } = driftScope(synthDir({ 'dev-network': s3, 'shared-bootstrap': local }));
      expect(checked).toEqual(['dev-network']);
      expect([...notChecked.keys()]).toEqual(['shared-bootstrap']);
    });

    it('writes checked=false for the workflow to skip the plan', async () => {
      const out = path.join(synthDir({}), 'github-output');
      const dir = synthDir({ 'shared-bootstrap': local });
      let stdout = '';
      const code = await main(['scope', 'shared-bootstrap', '--outdir', dir, '--github-output', out], { stdout: (t) => (stdout += t), stderr: () => undefined });
      expect(code).toBe(0);
      expect(fs.readFileSync(out, 'utf8')).toMatch(/^checked=false\nreason=its state is local/);
      expect(stdout).toMatch(/^shared-bootstrap: not checked for drift: /);
    });
  });

  describe('issues', () => {
    let repo: FakeRepo;
    afterEach(() => repo.close());
    const env = () => ({ GITHUB_TOKEN: 't', GITHUB_REPOSITORY: 'acme/platform', GITHUB_API_URL: repo.url, GITHUB_SERVER_URL: 'https://github.com', GITHUB_RUN_ID: '7' });
    async function run(...argv: string[]) {
      let stdout = '';
      let stderr = '';
      const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) }, env());
      return { code, stdout, stderr };
    }
    const RUN = 'https://github.com/acme/platform/actions/runs/7';

    it('opens an issue for a drifting stack, with the plan and the run, creating the label once', async () => {
      repo = await startFakeRepo();
      expect(await run('report', 'dev-network', '--exit-code', '2', '--plan', fixturePath('drift'))).toMatchObject({ code: 0, stdout: 'dev-network: drifts, opened #100\n' });
      expect(repo.labels).toEqual(['drift']);
      expect(repo.issues).toEqual([expect.objectContaining({ title: 'Drift: dev-network', labels: ['drift'], state: 'open' })]);
      expect(repo.issues[0].body).toMatch(/## Terraform plan[\s\S]*dev-network[\s\S]*Found by the scheduled drift check: https:\/\/github.com\/acme\/platform\/actions\/runs\/7\n$/);
    });

    it('updates the open issue of a stack that still drifts', async () => {
      repo = await startFakeRepo({ issues: [issue(5, 'dev-network')], labels: ['drift'] });
      expect((await run('report', 'dev-network', '--exit-code', '2', '--plan', fixturePath('drift'))).stdout).toBe('dev-network: drifts, updated #5\n');
      expect(repo.issues).toHaveLength(1);
      expect(repo.issues[0].body).toMatch(/## Terraform plan/);
      expect(repo.issues[0].comments).toEqual([`Still drifting: ${RUN}`]);
    });

    it('closes the issue when the stack no longer drifts', async () => {
      repo = await startFakeRepo({ issues: [issue(5, 'dev-network'), issue(6, 'dev-networking')], labels: ['drift'] });
      expect((await run('report', 'dev-network', '--exit-code', '0')).stdout).toBe('dev-network: no drift, closed #5\n');
      expect(repo.issues.map((i) => [i.number, i.state])).toEqual([
        [5, 'closed'],
        [6, 'open'],
      ]);
    });

    it('writes nothing for a clean stack without an issue', async () => {
      repo = await startFakeRepo();
      expect((await run('report', 'dev-network', '--exit-code', '0')).stdout).toBe('dev-network: no drift, no open issue\n');
      expect(repo.writes()).toEqual([]);
    });

    it.each([['1'], ['']])('neither opens nor closes an issue when the plan failed (exit code %j), and fails', async (code) => {
      repo = await startFakeRepo({ issues: [issue(5, 'dev-network')], labels: ['drift'] });
      const result = await run('report', 'dev-network', '--exit-code', code, '--plan', fixturePath('drift'));
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^drift: the plan of dev-network failed, so whether it drifts is unknown: no drift issue opened or closed/);
      expect(repo.writes()).toEqual([]);
      expect(repo.issues[0].state).toBe('open');
    });

    it('closes the issues of removed stacks and of stacks not checked, keeps the others', async () => {
      repo = await startFakeRepo({ issues: [issue(5, 'dev-network'), issue(6, 'qa-network'), issue(7, 'shared-bootstrap')], labels: ['drift'] });
      const outdir = synthDir({ 'dev-network': s3, 'shared-bootstrap': local });
      const result = await run('close-removed', '--outdir', outdir);
      expect(result.stdout).toBe('qa-network: closed #6 (removed)\nshared-bootstrap: closed #7 (not checked)\n');
      expect(repo.issues.map((i) => [i.number, i.state])).toEqual([
        [5, 'open'],
        [6, 'closed'],
        [7, 'closed'],
      ]);
      expect(repo.issues[1].comments[0]).toMatch(/^Closed: qa-network is not checked for drift any more: the stack is no longer in the configuration \(removed\)/);
    });

    describe('subscriptions', () => {
      const report = () => {
        const file = path.join(synthDir({}), 'pending.md');
        fs.writeFileSync(file, '### dev-observability: 1 subscription waits for confirmation\n\n- ops@example.com\n');
        return file;
      };
      const pendingIssue = (number: number, stack: string): FakeIssue => ({
        number,
        title: `Unconfirmed subscriptions: ${stack}`,
        body: 'old',
        state: 'open',
        labels: ['unconfirmed-subscriptions'],
        comments: [],
      });

      it('opens "Unconfirmed subscriptions: <stack>" with the report on exit code 2, with its own label, and leaves drift issues alone', async () => {
        repo = await startFakeRepo({ issues: [issue(5, 'dev-observability')], labels: ['drift'] });
        const result = await run('subscriptions', 'dev-observability', '--exit-code', '2', '--report', report());
        expect(result).toMatchObject({ code: 0, stdout: 'dev-observability: subscriptions pending, opened #100\n' });
        expect(repo.labels).toEqual(['drift', 'unconfirmed-subscriptions']);
        const opened = repo.issues.find((i) => i.number === 100)!;
        expect(opened).toMatchObject({ title: 'Unconfirmed subscriptions: dev-observability', labels: ['unconfirmed-subscriptions'], state: 'open' });
        expect(opened.body).toBe(`### dev-observability: 1 subscription waits for confirmation\n\n- ops@example.com\n\nFound by the scheduled drift check: ${RUN}\n`);
        expect(repo.issues.find((i) => i.number === 5)).toMatchObject({ body: 'old', state: 'open', comments: [] });
      });

      it('updates the open issue while subscriptions stay pending, closes it once all are confirmed', async () => {
        repo = await startFakeRepo({ issues: [pendingIssue(8, 'dev-observability')], labels: ['unconfirmed-subscriptions'] });
        expect((await run('subscriptions', 'dev-observability', '--exit-code', '2', '--report', report())).stdout).toBe('dev-observability: subscriptions pending, updated #8\n');
        expect(repo.issues[0].comments).toEqual([`Still unconfirmed: ${RUN}`]);
        expect((await run('subscriptions', 'dev-observability', '--exit-code', '0', '--report', report())).stdout).toBe('dev-observability: every subscription confirmed, closed #8\n');
        expect(repo.issues[0].state).toBe('closed');
      });

      it('touches no issue and fails when pending-subscriptions failed', async () => {
        repo = await startFakeRepo({ issues: [pendingIssue(8, 'dev-observability')], labels: ['unconfirmed-subscriptions'] });
        const result = await run('subscriptions', 'dev-observability', '--exit-code', '1', '--report', report());
        expect(result.code).toBe(1);
        expect(result.stderr).toMatch(/^drift: pending-subscriptions of dev-observability exited 1 \(0: all confirmed, 2: some pending\): no subscriptions issue opened or closed/);
        expect(repo.writes()).toEqual([]);
      });
    });

    it('refuses to run without a token, naming the variable', async () => {
      repo = await startFakeRepo();
      const code = await main(['report', 'dev-network', '--exit-code', '0'], { stdout: () => undefined, stderr: () => undefined }, {});
      expect(code).toBe(1);
    });
  });
});
