/**
 * Environment directories on disk: copying them and writing new ones. Used by tools that
 * synthesize variations of the platform (benchmarks, promotion previews) and by the tests.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CONFIG_FILE, DEFAULT_ENVIRONMENTS_DIR, discoverEnvironments } from './load';

/** A temporary copy of the environment directories below `source`; returns its path. */
export function copyEnvironmentsDir(source: string = DEFAULT_ENVIRONMENTS_DIR, prefix = 'environments-'): string {
  const target = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  for (const name of discoverEnvironments(source)) fs.cpSync(path.join(source, name), path.join(target, name), { recursive: true });
  return target;
}

/** Writes `<dir>/<name>/config.ts` exporting `config` as its default export. */
export function writeEnvironmentConfig(dir: string, name: string, config: unknown): void {
  fs.mkdirSync(path.join(dir, name), { recursive: true });
  fs.writeFileSync(path.join(dir, name, CONFIG_FILE), `const config = ${JSON.stringify(config, null, 2)};\n\nexport default config;\n`);
}
