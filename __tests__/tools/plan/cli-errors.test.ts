import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../tools/plan/plan-comment';
import { fixturePath, fixtureText } from './fixtures';
import { npmScriptNodeArgs, PROJECT_ROOT } from '../../../tools/npm-script';

const workDir = mkdtempSync(join(tmpdir(), 'plan-comment-'));
function writeTemp(name: string, text: string): string {
  const file = join(workDir, name);
  writeFileSync(file, text);
  return file;
}

async function run(argv: string[], env: Record<string, string> = {}) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await main(argv, { env, stdout: (t) => stdout.push(t), stderr: (t) => stderr.push(t) });
  return { code, stdout: stdout.join(''), stderr: stderr.join('') };
}

const notJson = writeTemp('binary.tfplan', 'PK\u0003\u0004 not json');
const stateJson = writeTemp('state.json', JSON.stringify({ format_version: '1.0', terraform_version: '1.11.4', values: {} }));
const futurePlan = writeTemp('future.json', fixtureText('create').replace('"format_version": "1.2"', '"format_version": "2.0"'));
const legacyPlan = writeTemp('legacy.json', fixtureText('create').replace('"format_version": "1.2"', '"format_version": "0.1"'));
const good = `dev=${fixturePath('create')}`;

describe('bad input', () => {
  describe.each<[string, string[], Record<string, string>, RegExp]>([
    ['a file that is not JSON', ['--plan', `dev=${notJson}`], {}, /is not JSON; pass the output of `terraform show -json/],
    ['JSON that is not a plan (state JSON)', ['--plan', `dev=${stateJson}`], {}, /is not Terraform plan JSON/],
    ['an unsupported future format_version', ['--plan', `dev=${futurePlan}`], {}, /format_version "2\.0", which is not supported/],
    ['a legacy 0.x format_version', ['--plan', `dev=${legacyPlan}`], {}, /format_version "0\.1", which is not supported/],
    ['a missing file', ['--plan', `dev=${join(workDir, 'nope.json')}`], {}, /cannot read plan file .*ENOENT/],
    ['a --plan argument without "="', ['--plan', fixturePath('create')], {}, /has no "="; write it as --plan <stack>=<plan.json>/],
    ['a bad stack name', ['--plan', `dev stack=${fixturePath('create')}`], {}, /stack name "dev stack" is not allowed/],
    ['the same stack twice', ['--plan', good, '--failed', 'dev'], {}, /stack "dev" is given more than once/],
    ['no plans at all', [], {}, /no plans given/],
    ['an invalid mask pattern', ['--plan', good, '--mask-pattern', '('], {}, /--mask-pattern "\(" is not a valid regular expression/],
    ['--post without a token', ['--plan', good, '--post'], { GITHUB_REPOSITORY: 'a/b', PR_NUMBER: '1' }, /GITHUB_TOKEN is not set/],
    ['--post without a repository', ['--plan', good, '--post'], { GITHUB_TOKEN: 't', PR_NUMBER: '1' }, /GITHUB_REPOSITORY is not set/],
    ['--post with a malformed repository', ['--plan', good, '--post'], { GITHUB_TOKEN: 't', GITHUB_REPOSITORY: 'abc', PR_NUMBER: '1' }, /is not "owner\/repo"/],
    ['--post without a PR number', ['--plan', good, '--post'], { GITHUB_TOKEN: 't', GITHUB_REPOSITORY: 'a/b' }, /no pull request number/],
    ['--post with a bad PR number', ['--plan', good, '--post'], { GITHUB_TOKEN: 't', GITHUB_REPOSITORY: 'a/b', PR_NUMBER: 'x' }, /"x" is not a positive integer/],
    ['an unknown option', ['--plan', good, '--bogus'], {}, /unknown option '--bogus'/],
  ])('%s', (_situation, argv, env, message) => {
    it('prints one line to stderr, nothing to stdout, and exits non-zero', async () => {
      const result = await run(argv, env);
      expect(result.code).not.toBe(0);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(message);
      expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    });
  });

  describe('--allow-failed', () => {
    it('shows a stack whose plan file is missing or broken as failed, and still renders the others', async () => {
      const result = await run(['--allow-failed', '--plan', `dev=${notJson}`, '--plan', `prod=${fixturePath('create')}`]);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/<!-- stack:dev -->[\s\S]*❌ failed[\s\S]*is not JSON/);
      expect(result.stdout).toMatch(/<!-- stack:prod -->[\s\S]*✅ planned/);
    });

    it('still refuses a --plan argument without "="', async () => {
      expect((await run(['--allow-failed', '--plan', 'nothing'])).code).toBe(1);
    });
  });

  describe('--section', () => {
    it('adds the non-empty sections other checks wrote after the plans, in order, and skips empty ones', async () => {
      const protectedMd = writeTemp('protected.md', '### Protected resources\n\nnothing refused\n');
      const empty = writeTemp('new-environments.md', '');
      const waits = writeTemp('waits.md', '### Waiting values\n');
      const result = await run(['--plan', good, '--section', protectedMd, '--section', empty, '--section', waits]);
      expect(result.code).toBe(0);
      const at = (needle: string) => result.stdout.indexOf(needle);
      expect(at('### Protected resources')).toBeGreaterThan(at('dev'));
      expect(at('### Waiting values')).toBeGreaterThan(at('### Protected resources'));
      expect(result.stdout.endsWith('### Waiting values\n')).toBe(true);
    });

    it('refuses a section file that does not exist, naming it', async () => {
      const result = await run(['--plan', good, '--section', join(workDir, 'missing.md')]);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/cannot read --section file ".*missing\.md" \(ENOENT\)/);
    });
  });

  describe('--failed', () => {
    it('shows the stack as failed', async () => {
      const result = await run(['--failed', 'dev']);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('❌ failed');
    });
  });

  describe('PR number from the event payload', () => {
    it('reads pull_request.number from GITHUB_EVENT_PATH', async () => {
      const event = writeTemp('event.json', JSON.stringify({ pull_request: { number: 7 } }));
      // Pointing the API at a closed port makes the request fail: the error names the PR number read from the event.
      const result = await run(['--plan', good, '--post'], {
        GITHUB_TOKEN: 't',
        GITHUB_REPOSITORY: 'a/b',
        GITHUB_EVENT_PATH: event,
        GITHUB_API_URL: 'http://127.0.0.1:9',
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/list comments of pull request #7 failed/);
      expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    });
  });

  describe('as a process (the npm script)', () => {
    it('prints no stack trace and exits 1', () => {
      const child = spawnSync(process.execPath, [...npmScriptNodeArgs('plan-comment'), '--plan', `dev=${notJson}`], {
        cwd: PROJECT_ROOT,
        encoding: 'utf8',
      });
      expect(child.status).toBe(1);
      expect(child.stdout).toBe('');
      expect(child.stderr.trim()).toMatch(/^plan-comment: ".*binary\.tfplan" is not JSON/);
      expect(child.stderr).not.toMatch(/\n\s+at /);
    });

    it('writes the markdown to stdout and exits 0', () => {
      const child = spawnSync(process.execPath, [...npmScriptNodeArgs('plan-comment'), '--plan', good], {
        cwd: PROJECT_ROOT,
        encoding: 'utf8',
      });
      expect(child.status).toBe(0);
      expect(child.stdout.startsWith('<!-- platform-plan-comment -->')).toBe(true);
    });
  });
});
