import { main } from '../../../tools/plan/plan-comment';
import { fixturePath } from './fixtures';
import { startFakeGitHub, type FakeGitHub } from './fake-github';

const OTHER_COMMENT = { id: 1, body: 'LGTM, unrelated human comment' };

function run(github: FakeGitHub, ...plans: string[]) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const env = { GITHUB_TOKEN: 'test-token', GITHUB_REPOSITORY: 'acme/platform', PR_NUMBER: '42', GITHUB_API_URL: github.url };
  const argv = [...plans.flatMap((plan) => ['--plan', plan]), '--post'];
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

  describe('two environments in one pull request', () => {
    it("keeps each other's sections", async () => {
      await run(github, `dev=${fixturePath('create')}`);
      await run(github, `prod=${fixturePath('mixed')}`);
      const body = github.comments[1].body;
      expect(body).toContain('<!-- stack:dev -->');
      expect(body).toContain('<!-- stack:prod -->');
      expect(body.indexOf('<!-- stack:dev -->')).toBeLessThan(body.indexOf('<!-- stack:prod -->'));

      await run(github, `dev=${fixturePath('no-changes')}`);
      const updated = github.comments[1].body;
      expect(updated).toContain('terraform_data.zz_old'); // prod section kept as it was
      expect(updated).not.toContain('terraform_data.marker'); // dev section replaced
      expect(updated).toContain('✅ no changes');
      expect(github.writes().map((request) => request.method)).toEqual(['POST', 'PATCH', 'PATCH']);
    });
  });
});
