/**
 * The apply gate's approval check (tools/plan/check-approval.ts) against a fake GitHub repository.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../../tools/plan/check-approval';
import { startFakeRepo, type FakePull, type FakeRepo } from './fake-github-repo';

const MERGE = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const HEAD = 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';
const EARLIER = 'cccccccccccccccccccccccccccccccccccccccc';

function pull(overrides: Partial<FakePull> = {}): FakePull {
  return {
    number: 42,
    state: 'closed',
    merged_at: '2026-12-04T10:00:00Z',
    merge_commit_sha: MERGE,
    base: { ref: 'main', sha: 'dddddddddddddddddddddddddddddddddddddddd' },
    head: { sha: HEAD },
    labels: [{ name: 'allow-destroy:dev' }],
    reviews: [{ user: { login: 'alice' }, state: 'APPROVED', commit_id: HEAD }],
    ...overrides,
  };
}

describe('check-approval', () => {
  let repo: FakeRepo;
  afterEach(() => repo.close());

  async function run(pulls: FakePull[], ...argv: string[]) {
    repo = await startFakeRepo({ pulls, commitPulls: { [MERGE]: pulls.map((p) => p.number) } });
    let stdout = '';
    let stderr = '';
    const env = { GITHUB_TOKEN: 't', GITHUB_REPOSITORY: 'acme/platform', GITHUB_API_URL: repo.url };
    const code = await main(['--sha', MERGE, ...argv], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) }, env);
    return { code, stdout, stderr };
  }

  it('passes the merge commit of an approved pull request and hands its labels to the apply jobs', async () => {
    const output = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'approval-')), 'out');
    const result = await run([pull()], '--github-output', output);
    expect(result).toEqual({ code: 0, stdout: `pull request #42 merged into main as aaaaaaa, head bbbbbbb approved by alice\n`, stderr: '' });
    expect(fs.readFileSync(output, 'utf8')).toBe(`pr=42\nhead-sha=${HEAD}\nlabels=["allow-destroy:dev"]\n`);
    expect(repo.writes()).toEqual([]);
  });

  it.each([
    ['a commit of no pull request (pushed directly)', [], /^check-approval: aaaaaaa is not the merge commit of a pull request merged into main: it belongs to no pull request \(pushed directly\?\); nothing was reviewed/],
    ['a pull request that is still open', [pull({ state: 'open', merged_at: null, merge_commit_sha: null })], /is not the merge commit of a pull request merged into main; its pull requests: #42 \(open\)/],
    ['a pull request merged into another branch', [pull({ base: { ref: 'release', sha: 'd'.repeat(40) } })], /its pull requests: #42 \(merged into release as aaaaaaa\)/],
    ['no review at all', [pull({ reviews: [] })], /^check-approval: pull request #42 has 0 approval\(s\) of its head bbbbbbb, 1 needed; nothing is applied\n$/],
    ['an approval of an earlier commit only', [pull({ reviews: [{ user: { login: 'alice' }, state: 'APPROVED', commit_id: EARLIER }] })], /0 approval\(s\) of its head bbbbbbb, 1 needed \(alice approved an earlier commit\)/],
    [
      'an approval later replaced by a change request',
      [pull({ reviews: [{ user: { login: 'alice' }, state: 'APPROVED', commit_id: HEAD }, { user: { login: 'bob' }, state: 'CHANGES_REQUESTED', commit_id: HEAD }] })],
      /^check-approval: pull request #42 was merged with changes requested by bob; nothing is applied\n$/,
    ],
    ['an approval dismissed', [pull({ reviews: [{ user: { login: 'alice' }, state: 'APPROVED', commit_id: HEAD }, { user: { login: 'alice' }, state: 'DISMISSED', commit_id: HEAD }] })], /0 approval\(s\)/],
  ])('refuses %s', async (_, pulls, message) => {
    const result = await run(pulls as FakePull[]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('keeps an approval when the reviewer only comments afterwards', async () => {
    const reviews: FakePull['reviews'] = [
      { user: { login: 'alice' }, state: 'APPROVED', commit_id: HEAD },
      { user: { login: 'alice' }, state: 'COMMENTED', commit_id: HEAD },
    ];
    expect((await run([pull({ reviews })])).code).toBe(0);
  });

  it('counts approvals against --min-approvals', async () => {
    expect((await run([pull()], '--min-approvals', '2')).stderr).toMatch(/has 1 approval\(s\) of its head bbbbbbb, 2 needed/);
  });

  it.each([
    [['--min-approvals', '0'], /--min-approvals 0 is not a whole number >= 1/],
    [['--branch', 'main', '--sha', 'not-a-sha'], /--sha "not-a-sha" is not a commit sha/],
  ])('refuses bad input %j', async (argv, message) => {
    expect((await run([pull()], ...argv)).stderr).toMatch(message);
  });
});
