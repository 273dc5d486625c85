/** Copies of the shipped environment configs, to break one field at a time in tests. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import shared from '../../environments/shared/config';
import dev from '../../environments/dev/config';
import staging from '../../environments/staging/config';
import prod from '../../environments/prod/config';
import type { EnvironmentInput } from '../../environments/schema';

export type RawEnvironments = Record<string, any>;

/** Deep copies of the shipped configs by directory name; edit them freely. */
export function shippedConfigs(): RawEnvironments {
  return JSON.parse(JSON.stringify({ shared, dev, staging, prod })) as Record<string, EnvironmentInput>;
}

export function asRaw(configs: RawEnvironments): { name: string; value: unknown }[] {
  return Object.entries(configs).map(([name, value]) => ({ name, value }));
}

/** A temporary copy of `environments/` (directories with their config.ts) to add or break environments on disk. */
export function copyEnvironmentsDir(): string {
  const source = path.join(__dirname, '..', '..', 'environments');
  const target = fs.mkdtempSync(path.join(os.tmpdir(), 'environments-'));
  for (const entry of fs.readdirSync(source, { withFileTypes: true })) {
    if (entry.isDirectory()) fs.cpSync(path.join(source, entry.name), path.join(target, entry.name), { recursive: true });
  }
  return target;
}

/** Writes `environments/<name>/config.ts` holding `config` as its default export. */
export function writeEnvironment(dir: string, name: string, config: unknown): void {
  fs.mkdirSync(path.join(dir, name), { recursive: true });
  fs.writeFileSync(path.join(dir, name, 'config.ts'), `const config = ${JSON.stringify(config, null, 2)};\n\nexport default config;\n`);
}
