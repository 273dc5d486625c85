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

export interface DerivedEnvironment {
  readonly name: string;
  readonly accountId: string;
  readonly vpcCidr: string;
  /** @default - the base's place in the promotion chain is dropped */
  readonly promotion?: { readonly from?: string };
}

/**
 * A new environment config made from an existing one (`base` as written in its config.ts):
 * every value scoped to the base's account (roles, certificates, ...) moves to the new
 * account, and the name, range and environment tag are the new environment's.
 */
export function deriveEnvironment(base: Readonly<Record<string, any>>, derived: DerivedEnvironment): Record<string, any> {
  const rehomed = JSON.parse(JSON.stringify(base).split(String(base.accountId)).join(derived.accountId));
  delete rehomed.promotion;
  return {
    ...rehomed,
    name: derived.name,
    accountId: derived.accountId,
    vpcCidr: derived.vpcCidr,
    tags: { ...rehomed.tags, environment: derived.name },
    ...(derived.promotion ? { promotion: derived.promotion } : {}),
  };
}
