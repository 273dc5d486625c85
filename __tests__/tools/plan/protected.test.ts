import { loadFixture, fixturePath } from './fixtures';
import { DEFAULT_PROTECTION, main, parseLabels, protectedDestroys, PROTECTED_RESOURCE_TYPES } from '../../../tools/plan/protected';

// The fixtures are real plans of terraform_data; protecting that type stands in for an S3 bucket.
const dataProtected = { ...DEFAULT_PROTECTION, types: ['terraform_data'] };

async function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

describe('protected resources', () => {
  it('protects the types that hold data or carry other stacks', () => {
    expect(PROTECTED_RESOURCE_TYPES).toEqual(
      expect.arrayContaining(['aws_s3_bucket', 'aws_kms_key', 'aws_dynamodb_table', 'aws_secretsmanager_secret', 'aws_ec2_transit_gateway']),
    );
  });

  it.each([
    ['delete', [{ address: 'terraform_data.obsolete', type: 'terraform_data', action: 'destroy', reason: 'terraform_data is a protected type' }]],
    ['replace-create-before-destroy', [{ address: 'terraform_data.blue_green', type: 'terraform_data', action: 'replace', reason: 'terraform_data is a protected type' }]],
    ['replace-delete-before-create', [expect.objectContaining({ action: 'replace' })]],
    ['update-in-place', []],
    ['create', []],
    ['forget', []],
  ])('%s: finds %j', (fixture, expected) => {
    expect(protectedDestroys(loadFixture(fixture), dataProtected)).toEqual(expected);
  });

  it('does not protect types outside the list', () => {
    expect(protectedDestroys(loadFixture('delete'))).toEqual([]);
  });

  it.each([
    ['allow-destroy,needs-review', ['allow-destroy', 'needs-review']],
    ['["allow-destroy"]', ['allow-destroy']],
    ['', []],
  ])('reads labels %j', (text, labels) => {
    expect(parseLabels(text)).toEqual(labels);
  });

  describe('the CLI', () => {
    it('passes a plan without destroys', async () => {
      expect(await run('--plan', `app=${fixturePath('update-in-place')}`)).toEqual({ code: 0, stdout: 'no protected resource is destroyed\n', stderr: '' });
    });

    it('passes a plan whose destroys are not protected', async () => {
      expect((await run('--plan', `app=${fixturePath('delete')}`)).code).toBe(0);
    });

    it('stops a plan that destroys a protected resource, with one line per resource', async () => {
      expect(await run('--plan', `app=${fixturePath('delete')}`, '--plan', `bg=${fixturePath('replace-create-before-destroy')}`, '--protect-type', 'terraform_data')).toEqual({
        code: 1,
        stdout:
          'STOP app: terraform_data.obsolete will be destroyed (terraform_data is a protected type)\n' +
          'STOP bg: terraform_data.blue_green will be replaced (terraform_data is a protected type)\n',
        stderr: 'check-protected: 2 protected resource(s) would be destroyed; add the allow-destroy label to the pull request if that is intended\n',
      });
    });

    it.each(['allow-destroy', '["needs-review","allow-destroy"]'])('lets the labels %j allow it', async (labels) => {
      const { code, stdout } = await run('--plan', `app=${fixturePath('delete')}`, '--protect-type', 'terraform_data', '--labels', labels);
      expect(code).toBe(0);
      expect(stdout).toMatch(/^allowed app: terraform_data\.obsolete will be destroyed .*\n1 protected resource\(s\) will be destroyed: allowed by the allow-destroy label\n$/);
    });

    it.each([
      [['--plan', 'app'], /^check-protected: --plan "app" has no "="/],
      [['--plan', `app=${__filename}`], /^check-protected: ".*protected.test.ts" is not JSON/],
    ])('refuses bad input %j with one line', async (argv, message) => {
      const { code, stderr } = await run(...argv);
      expect(code).toBe(1);
      expect(stderr).toMatch(message);
      expect(stderr.trim().split('\n')).toHaveLength(1);
    });
  });
});
