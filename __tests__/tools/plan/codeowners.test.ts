import * as fs from 'node:fs';
import * as path from 'node:path';
import { shippedPlatform } from '../../helpers/platform';

const ROOT = path.join(__dirname, '..', '..', '..');
const rules = fs
  .readFileSync(path.join(ROOT, '.github', 'CODEOWNERS'), 'utf8')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line && !line.startsWith('#'))
  .map((line) => {
    const [pattern, ...owners] = line.split(/\s+/);
    return { pattern, owners };
  });

describe('CODEOWNERS', () => {
  const team = `@${shippedPlatform().organization.github.repository.split('/')[0]}/platform-team`;

  it.each(['/tools/', '/.github/', '/environments/', '/stacks/bootstrap-stack.ts', '/stacks/state-access.ts'])('%s needs the platform team', (pattern) => {
    expect(rules.find((rule) => rule.pattern === pattern)?.owners).toEqual([team]);
  });

  it('names paths that exist', () => {
    for (const { pattern } of rules.filter((rule) => rule.pattern !== '*')) expect([pattern, fs.existsSync(path.join(ROOT, pattern))]).toEqual([pattern, true]);
  });
});
