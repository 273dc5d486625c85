import { diffAttributes } from '../../../tools/plan/attribute-diff';
import { COMMENT_MARKER, MASKED_PLACEHOLDER, SENSITIVE_PLACEHOLDER, UNKNOWN_PLACEHOLDER } from '../../../tools/plan/constants';
import { compileValuePatterns, DEFAULT_MASK_OPTIONS } from '../../../tools/plan/mask';
import { renderComment } from '../../../tools/plan/render';
import { failedStack, summarizePlan } from '../../../tools/plan/summarize';
import { fixtureText, loadFixture } from './fixtures';
import { FAKE_SECRETS } from './terraform-data-plans';

const render = (name: string) => renderComment([summarizePlan(name, loadFixture(name))]);

describe('renderComment', () => {
  describe('sensitive values and masks', () => {
    const markdown = render('sensitive');

    it.each(Object.entries(FAKE_SECRETS))('never prints the fake secret %s', (_name, secret) => {
      expect(fixtureText('sensitive')).toContain(secret); // the plan JSON holds it in plain text
      expect(markdown).not.toContain(secret);
    });

    it('prints (sensitive) for the attribute terraform marked sensitive', () => {
      expect(markdown).toContain(`<code>input.password</code> | <code>${SENSITIVE_PLACEHOLDER}</code>`);
    });

    it('masks a value by attribute name and a key-like value inside text', () => {
      expect(markdown).toContain(`<code>input.api_token</code> | <code>null</code> | <code>${MASKED_PLACEHOLDER}</code>`);
      expect(markdown).toContain(`"key ${MASKED_PLACEHOLDER} in a note"`);
      expect(markdown).toContain('"visible"');
    });

    it('never prints sensitive outputs', () => {
      const outputs = render('outputs');
      expect(outputs).not.toContain('s3cr3t');
      expect(outputs).toContain(`<code>secret</code> | ~ update | <code>${SENSITIVE_PLACEHOLDER}</code>`);
    });

    it('masks extra configured patterns', () => {
      const mask = { ...DEFAULT_MASK_OPTIONS, valuePatterns: compileValuePatterns(['visi\\w+']) };
      const markdown = renderComment([summarizePlan('s', loadFixture('sensitive'))], { mask });
      expect(markdown).not.toContain('visible');
    });
  });

  describe('details', () => {
    it('shows only the attributes that change, with nested paths flattened', () => {
      const markdown = render('update-in-place');
      expect(markdown).toContain('<code>input.tags.Name</code> | <code>"app"</code> | <code>"app-renamed"</code>');
      expect(markdown).not.toContain('<code>input.tags.Env</code>');
      expect(markdown).not.toContain('<code>id</code>');
    });

    it(`shows unknown values as ${UNKNOWN_PLACEHOLDER}`, () => {
      expect(render('update-in-place')).toMatch(/<code>output<\/code> \| .* \| <code>\(known after apply\)<\/code>/);
    });

    it('names the attribute that forces a replacement', () => {
      expect(render('replace-create-before-destroy')).toContain('<code>triggers_replace</code> **forces replacement**');
    });
  });

  describe('warnings', () => {
    it('warns about destructive changes before anything else, destroy before replace', () => {
      const markdown = render('mixed');
      const warning = markdown.indexOf('> [!WARNING]');
      expect(warning).toBeGreaterThan(0);
      expect(warning).toBeLessThan(markdown.indexOf('<details>'));
      expect(markdown.indexOf('zz_old</code> will be destroyed')).toBeLessThan(markdown.indexOf('aa_server</code> will be replaced'));
    });

    it('gives no destructive warning when nothing is destroyed, forgets included', () => {
      expect(render('forget')).not.toContain('[!WARNING]');
    });

    it('notes drift in the always-kept summary', () => {
      expect(render('drift')).toContain('**Drift:** 1 resource changed outside Terraform');
    });
  });

  describe('markers and status', () => {
    it('has one comment marker and start and end markers per stack', () => {
      const markdown = renderComment([summarizePlan('a', loadFixture('create')), failedStack('b', 'boom')]);
      expect(markdown.startsWith(COMMENT_MARKER)).toBe(true);
      for (const stack of ['a', 'b']) {
        expect(markdown).toContain(`<!-- stack:${stack} -->`);
        expect(markdown).toContain(`<!-- /stack:${stack} -->`);
      }
    });

    it.each([
      ['failed', failedStack('x', 'boom'), '❌ failed'],
      ['with changes', summarizePlan('x', loadFixture('create')), '✅ planned'],
      ['without changes', summarizePlan('x', loadFixture('no-changes')), '✅ no changes'],
    ])('shows a stack %s as such', (_situation, summary, status) => {
      expect(renderComment([summary])).toContain(`| ${status} |`);
    });

    it('is deterministic', () => {
      expect(render('mixed')).toBe(render('mixed'));
    });
  });
});

describe('diffAttributes', () => {
  const mask = DEFAULT_MASK_OPTIONS;
  it.each([
    ['map key with dots', { tags: {} }, { tags: { 'kubernetes.io/role': 'x' } }, 'tags["kubernetes.io/role"]'],
    ['list element', { list: ['a'] }, { list: ['a', 'b'] }, 'list[1]'],
    ['emptied list', { list: ['a'] }, { list: [] }, 'list[0]'],
    ['list to null', { list: [] }, { list: null }, 'list'],
  ])('flattens a %s', (_situation, before, after, path) => {
    expect(diffAttributes({ actions: ['update'], before, after }, mask).map((diff) => diff.path)).toEqual([path]);
  });

  it('hides a whole sensitive object, even nested parts of it', () => {
    const diffs = diffAttributes(
      { actions: ['update'], before: { a: { b: 'x' } }, after: { a: { b: 'y' } }, before_sensitive: { a: true }, after_sensitive: { a: true } },
      mask,
    );
    expect(diffs).toEqual([{ path: 'a', before: SENSITIVE_PLACEHOLDER, after: SENSITIVE_PLACEHOLDER, forcesReplacement: false }]);
  });

  it('redacts sensitive parts inside a value shown as a whole', () => {
    const diffs = diffAttributes(
      { actions: ['update'], before: { a: { pw: 'x', n: 1 } }, after: { a: 'flat' }, before_sensitive: { a: { pw: true } } },
      mask,
    );
    expect(diffs[0].before).toBe('{"pw":"(sensitive)","n":1}');
    expect(JSON.stringify(diffs)).not.toContain('"x"');
  });
});

describe('replacement order, as Terraform prints it', () => {
  it('shows create_before_destroy as +/- and the default order as -/+ (real plans)', () => {
    const createFirst = render('replace-create-before-destroy');
    expect(loadFixture('replace-create-before-destroy').resource_changes![0].change.actions).toEqual(['create', 'delete']);
    expect(createFirst).toContain('<code>+/-</code> <code>terraform_data.blue_green</code> will be replaced (create replacement and then destroy)');
    expect(createFirst).not.toContain('<code>-/+</code>');
    const deleteFirst = render('replace-delete-before-create');
    expect(deleteFirst).toContain('<code>-/+</code> <code>terraform_data.server</code> will be replaced (destroy and then create replacement)');
    expect(deleteFirst).not.toContain('<code>+/-</code>');
  });
});

describe('the comment header', () => {
  it('names the commit and time planned at, then a summary table of every stack before any details', () => {
    const markdown = renderComment([summarizePlan('prod-network', loadFixture('mixed')), failedStack('dev-secrets', 'boom')], {
      commit: '0123456789abcdef0123456789abcdef01234567',
      plannedAt: '2026-12-04T15:30:00Z',
    });
    expect(markdown).toContain('Planned at commit <code>0123456789abcdef0123456789abcdef01234567</code> at 2026-12-04 15:30:00 UTC.');
    const table = markdown.indexOf('| Stack | Environment | Add | Change | Replace | Destroy | Status |');
    expect(table).toBeGreaterThan(0);
    expect(table).toBeLessThan(markdown.indexOf('<!-- stack:'));
    expect(markdown).toContain('| <code>dev-secrets</code> | dev | 0 | 0 | 0 | 0 | ❌ failed |');
    expect(markdown).toContain('| <code>prod-network</code> | prod | 1 | 1 | 1 | 1 | ✅ planned |');
  });

  it('says that no stack is affected when the run planned none', () => {
    expect(renderComment([])).toContain('**No stack is affected:**');
  });
});

describe('masking by name', () => {
  const mask = DEFAULT_MASK_OPTIONS;
  const diff = (before: Record<string, unknown>, after: Record<string, unknown>, type?: string) =>
    Object.fromEntries(diffAttributes({ actions: ['update'], before: before as never, after: after as never }, mask, [], type).map((d) => [d.path, [d.before, d.after]]));

  it('never masks a boolean or a number because of its name', () => {
    expect(diff({ password_length: 16, manage_master_user_password: false, token_validity: 60 }, { password_length: 20, manage_master_user_password: true, token_validity: 90 })).toEqual({
      manage_master_user_password: ['false', 'true'],
      password_length: ['16', '20'],
      token_validity: ['60', '90'],
    });
  });

  it('masks strings under a secret-like name, but not names of references to a secret', () => {
    expect(diff({ password: 'old', secret_arn: 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:a' }, { password: 'new', secret_arn: 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:b' })).toEqual({
      password: [MASKED_PLACEHOLDER, MASKED_PLACEHOLDER],
      secret_arn: ['"arn:aws:secretsmanager:eu-west-1:111111111111:secret:a"', '"arn:aws:secretsmanager:eu-west-1:111111111111:secret:b"'],
    });
  });

  it('masks the attributes known to carry secrets even without a sensitive marker', () => {
    expect(diff({ value: 'old-value', type: 'SecureString' }, { value: 'new-value', type: 'SecureString' }, 'aws_ssm_parameter')).toEqual({
      value: [MASKED_PLACEHOLDER, MASKED_PLACEHOLDER],
    });
    expect(diff({ value: 'a' }, { value: 'b' }, 'aws_ssm_parameter_not_known')).toEqual({ value: ['"a"', '"b"'] });
  });
});

describe('JSON-encoded attributes', () => {
  const policy = (statements: unknown[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
  const read = { Sid: 'Read', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' };
  const tls = { Sid: 'DenyInsecure', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: 'arn:aws:s3:::b/*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } };
  const publicRead = { Sid: 'Public', Effect: 'Allow', Principal: '*', Action: ['s3:GetObject'], Resource: 'arn:aws:s3:::b/*' };
  const bucketPolicy = {
    address: 'aws_s3_bucket_policy.archive',
    type: 'aws_s3_bucket_policy',
    name: 'archive',
    mode: 'managed',
    provider_name: 'registry.terraform.io/hashicorp/aws',
    change: {
      actions: ['update'],
      before: { bucket: 'b', id: 'b', policy: policy([read, tls]) },
      after: { bucket: 'b', id: 'b', policy: policy([publicRead, { ...read, Action: ['s3:GetObject', 's3:ListBucket'] }, tls]) },
      after_unknown: {},
      before_sensitive: {},
      after_sensitive: {},
    },
  };
  const trust = (principal: unknown) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole' }] });
  const role = {
    address: 'aws_iam_role.ci_deploy',
    type: 'aws_iam_role',
    name: 'ci_deploy',
    mode: 'managed',
    provider_name: 'registry.terraform.io/hashicorp/aws',
    change: {
      actions: ['update'],
      before: { arn: 'arn:aws:iam::111111111111:role/ci-deploy', name: 'ci-deploy', assume_role_policy: trust({ AWS: 'arn:aws:iam::111111111111:role/ci' }) },
      after: {
        arn: 'arn:aws:iam::111111111111:role/ci-deploy',
        name: 'ci-deploy',
        assume_role_policy: trust({ AWS: ['arn:aws:iam::111111111111:role/ci', 'arn:aws:iam::999999999999:root'] }),
      },
      after_unknown: {},
      before_sensitive: {},
      after_sensitive: {},
    },
  };
  const plan = { format_version: '1.2', terraform_version: '1.11.4', resource_changes: [bucketPolicy, role] };
  const markdown = renderComment([summarizePlan('prod-observability', plan as never)]);

  it('diffs a policy statement by statement, keyed by Sid, never as one long string', () => {
    const diffs = diffAttributes(bucketPolicy.change as never, DEFAULT_MASK_OPTIONS).map((d) => d.path);
    expect(diffs).toEqual(['policy.Statement["Sid=Public"]', 'policy.Statement["Sid=Read"].Action[1]']);
    expect(markdown).toContain('<code>policy.Statement[&quot;Sid=Read&quot;].Action[1]</code> | <code>null</code> | <code>"s3:ListBucket"</code>'.replace(/&quot;/g, '"'));
    expect(markdown).not.toContain('DenyInsecure'); // the unchanged statement is not shown
  });

  it('names a widened principal and a new account in the security section', () => {
    const caution = markdown.slice(markdown.indexOf('> [!CAUTION]'), markdown.indexOf('#### Changes'));
    expect(caution).toContain('<code>aws_s3_bucket_policy.archive</code> will be updated in-place (S3 bucket policy; **widened:** policy statement "Public" allows principal "*" (anyone))');
    expect(caution).toContain('assume_role_policy statement "#1" allows account 999999999999 (arn:aws:iam::999999999999:root)');
    expect(caution).not.toContain('111111111111'); // the role's own account is no widening
  });

  it('keys container definitions by name', () => {
    const defs = (image: string) => JSON.stringify([{ name: 'web', image: 'web:1' }, { name: 'api', image, essential: true }]);
    const diffs = diffAttributes({ actions: ['update'], before: { container_definitions: defs('api:1') }, after: { container_definitions: defs('api:2') } }, DEFAULT_MASK_OPTIONS);
    expect(diffs.map((d) => [d.path, d.before, d.after])).toEqual([['container_definitions["name=api"].image', '"api:1"', '"api:2"']]);
  });
});
