import { applyEdits, readLiteral } from '../../../tools/promote/config-source';

const FILE = `import type { EnvironmentInput } from '../schema';

/** Staging. */
const config: EnvironmentInput = {
  name: 'staging', // the directory name
  services: {
    list: [
      { name: 'api', image: 'api:1.4.2', cpu: 512 }, // pinned by promotion
      {
        name: 'web',
        image: "web:2.3.0",
      },
    ],
  },
  promotable: {
    // flags first
    'feature.checkout-v2': false,
    retries: 3
  },
  tags: { owner: 'platform-team' },
};

export default config;
`;

describe('applyEdits', () => {
  describe('replacing literals', () => {
    it.each([
      ['a string, keeping single quotes', ['services', 'list', 'api', 'image'], 'api:1.5.0', "image: 'api:1.4.2'", "image: 'api:1.5.0'"],
      ['a string, keeping double quotes', ['services', 'list', 'web', 'image'], 'web:2.4.0', 'image: "web:2.3.0"', 'image: "web:2.4.0"'],
      ['a boolean', ['promotable', 'feature.checkout-v2'], true, "'feature.checkout-v2': false", "'feature.checkout-v2': true"],
      ['a number', ['promotable', 'retries'], 5, 'retries: 3', 'retries: 5'],
      ['a number by a string', ['promotable', 'retries'], 'three', 'retries: 3', "retries: 'three'"],
    ] as const)('%s changes only that literal', (_, path, value, before, after) => {
      const { text } = applyEdits('staging', FILE, [{ path, value }]);
      expect(text).toBe(FILE.replace(before, after));
    });

    it('escapes quotes in the new value', () => {
      const { text } = applyEdits('staging', FILE, [{ path: ['name'], value: "it's" }]);
      expect(text).toBe(FILE.replace("name: 'staging'", "name: 'it\\'s'"));
      expect(readLiteral('staging', text, ['name'])).toBe("it's");
    });

    it('applies several edits at once', () => {
      const { text, splices } = applyEdits('staging', FILE, [
        { path: ['services', 'list', 'api', 'image'], value: 'api@sha256:' + 'a'.repeat(64) },
        { path: ['promotable', 'retries'], value: 4 },
      ]);
      expect(splices).toHaveLength(2);
      expect(text).toBe(FILE.replace("'api:1.4.2'", `'api@sha256:${'a'.repeat(64)}'`).replace('retries: 3', 'retries: 4'));
    });
  });

  describe('adding keys', () => {
    it('adds a line with the indentation of its siblings, and the missing comma', () => {
      const { text } = applyEdits('staging', FILE, [{ path: ['promotable', 'search.pageSize'], value: 50 }]);
      expect(text).toBe(FILE.replace('    retries: 3\n', "    retries: 3,\n    'search.pageSize': 50\n"));
    });

    it('keeps trailing commas where the object has them', () => {
      const withComma = FILE.replace('retries: 3\n', 'retries: 3,\n');
      const { text } = applyEdits('staging', withComma, [{ path: ['promotable', 'flag'], value: true }]);
      expect(text).toBe(withComma.replace('    retries: 3,\n', '    retries: 3,\n    flag: true,\n'));
    });

    it('adds to a one-line object inline', () => {
      const { text } = applyEdits('staging', FILE, [{ path: ['tags', 'team'], value: 'payments' }]);
      expect(text).toBe(FILE.replace("tags: { owner: 'platform-team' }", "tags: { owner: 'platform-team', team: 'payments' }"));
    });

    it('fills an empty object', () => {
      const empty = FILE.replace(/ {2}promotable: \{[^}]*\},\n/, '  promotable: {},\n');
      const { text } = applyEdits('staging', empty, [{ path: ['promotable', 'feature.x'], value: true }]);
      expect(text).toBe(empty.replace('promotable: {}', "promotable: { 'feature.x': true }"));
    });

    it('adds a missing section as a block at the end of the config', () => {
      const without = FILE.replace(/ {2}promotable: \{[^}]*\},\n/, '');
      const { text } = applyEdits('staging', without, [
        { path: ['promotable', 'feature.x'], value: true },
        { path: ['promotable', 'limit'], value: 10 },
      ]);
      expect(text).toBe(without.replace("  tags: { owner: 'platform-team' },\n", "  tags: { owner: 'platform-team' },\n  promotable: {\n    'feature.x': true,\n    limit: 10,\n  },\n"));
    });
  });

  describe('refusing', () => {
    it.each([
      ['a value that is not a literal', FILE.replace("retries: 3", 'retries: DEFAULT_RETRIES'), ['promotable', 'retries'], /environments\/staging\/config.ts: promotable.retries: is written as `DEFAULT_RETRIES`, not a string, number or boolean literal/],
      ['an object that spreads another', FILE.replace("tags: { owner: 'platform-team' }", 'tags: { ...BASE_TAGS }'), ['tags', 'team'], /tags.team: cannot add the field \(tags spreads another object\)/],
      ['a list element that does not exist', FILE, ['services', 'list', 'worker', 'image'], /services.list.worker.image: cannot add the field \(services.list has no element named "worker"\)/],
      ['a file without a config object', 'export default 42;\n', ['name'], /environments\/staging\/config.ts: no `const config = \{ ... \}` object literal/],
    ])('%s', (_, text, path, message) => {
      expect(() => applyEdits('staging', text, [{ path, value: 'x' }])).toThrow(message);
    });
  });
});

describe('readLiteral', () => {
  it.each([
    [['services', 'list', 'web', 'image'], 'web:2.3.0'],
    [['services', 'list', '0', 'cpu'], 512],
    [['promotable', 'feature.checkout-v2'], false],
    [['promotable', 'unknown'], undefined],
  ])('%j is %j', (path, value) => {
    expect(readLiteral('staging', FILE, path)).toBe(value);
  });
});
