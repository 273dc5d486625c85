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
