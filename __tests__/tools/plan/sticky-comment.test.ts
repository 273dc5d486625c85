import { main } from '../../../tools/plan/plan-comment';
import { fixturePath } from './fixtures';
import { startFakeGitHub, type FakeGitHub } from './fake-github';

const OTHER_COMMENT = { id: 1, body: 'LGTM, unrelated human comment' };

function run(github: FakeGitHub, ...plans: string[]) {
  return runWith(github, plans.flatMap((plan) => ['--plan', plan]));
}

function runWith(github: FakeGitHub, args: string[]) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const env = { GITHUB_TOKEN: 'test-token', GITHUB_REPOSITORY: 'acme/platform', PR_NUMBER: '42', GITHUB_API_URL: github.url };
  const argv = [...args, '--post'];
  return main(argv, { env, stdout: (t) => stdout.push(t), stderr: (t) => stderr.push(t) }).then((code) => ({
    code,
    stdout: stdout.join(''),
    stderr: stderr.join(''),
  }));
}

describe('--post: sticky comment', () => {
  let github: FakeGitHub;
  beforeEach(async () => {
    github = await startFakeGitHub([OTHER_COMMENT]);
  });
  afterEach(() => github.close());

  describe('the same stack twice', () => {
    it('creates the comment on the first run and updates that comment on the second, writing nothing else', async () => {
      const first = await run(github, `dev=${fixturePath('create')}`);
      expect(first).toMatchObject({ code: 0 });
      expect(first.stderr).toContain('created comment 1000 on pull request #42');
      const second = await run(github, `dev=${fixturePath('update-in-place')}`);
      expect(second.code).toBe(0);

      expect(github.writes().map((request) => `${request.method} ${request.path}`)).toEqual([
        'POST /repos/acme/platform/issues/42/comments',
        'PATCH /repos/acme/platform/issues/comments/1000',
      ]);
      expect(github.comments).toHaveLength(2);
      expect(github.comments[0]).toEqual(OTHER_COMMENT);
      expect(github.comments[1].body).toContain('input.tags.Name'); // the second plan
      expect(github.comments[1].body).not.toContain('terraform_data.marker'); // the first plan's only resource
      expect(github.comments[1].body.match(/<!-- stack:dev -->/g)).toHaveLength(1);
    });

    it('sends the token with every request', async () => {
      await run(github, `dev=${fixturePath('create')}`);
      expect(github.requests.map((request) => request.authorization)).toEqual(['token test-token', 'token test-token']);
    });
  });

  describe('a later run that planned fewer stacks', () => {
    it('rebuilds the comment from the latest run alone: sections of stacks not planned this time disappear', async () => {
      await run(github, `dev=${fixturePath('create')}`, `prod=${fixturePath('mixed')}`);
      const first = github.comments[1].body;
      expect(first).toContain('<!-- stack:dev -->');
      expect(first).toContain('<!-- stack:prod -->');
      expect(first.indexOf('<!-- stack:dev -->')).toBeLessThan(first.indexOf('<!-- stack:prod -->'));

      // The next push touches dev alone: prod's old plan must not stay standing.
      await run(github, `dev=${fixturePath('no-changes')}`);
      const updated = github.comments[1].body;
      expect(updated).not.toContain('<!-- stack:prod -->');
      expect(updated).not.toContain('terraform_data.zz_old'); // prod's old plan
      expect(updated).not.toContain('terraform_data.marker'); // dev's old plan
      expect(updated).toContain('✅ no changes');
      expect(github.writes().map((request) => request.method)).toEqual(['POST', 'PATCH']);
    });

    it('says so when a push affects no stack, instead of leaving the old plans standing', async () => {
      await run(github, `dev=${fixturePath('mixed')}`);
      expect(await runWith(github, ['--none-affected', '--commit', 'abc123def4567890', '--planned-at', '2026-12-04T15:30:00Z'])).toMatchObject({ code: 0 });
      const body = github.comments[1].body;
      expect(body).not.toContain('<!-- stack:');
      expect(body).toContain('Planned at commit <code>abc123def4567890</code> at 2026-12-04 15:30:00 UTC.');
      expect(body).toContain('**No stack is affected:**');
      expect(github.writes().map((request) => request.method)).toEqual(['POST', 'PATCH']);
    });
  });
});
