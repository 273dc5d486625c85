/** Copies of the shipped environment configs, to break one field at a time in tests. */
import shared from '../../environments/shared/config';
import dev from '../../environments/dev/config';
import staging from '../../environments/staging/config';
import prod from '../../environments/prod/config';
import type { EnvironmentInput } from '../../environments/schema';
import { validatePlatform } from '../../environments/load';
import { ConfigError } from '../../modules/core/config-issue';

export type RawEnvironments = Record<string, any>;

/** Deep copies of the shipped configs by directory name; edit them freely. */
export function shippedConfigs(): RawEnvironments {
  return JSON.parse(JSON.stringify({ shared, dev, staging, prod })) as Record<string, EnvironmentInput>;
}

export function asRaw(configs: RawEnvironments): { name: string; value: unknown }[] {
  return Object.entries(configs).map(([name, value]) => ({ name, value }));
}

/** The ConfigError message for the shipped configs changed by `mutate`; fails the test when they are accepted. */
export function problemsOf(mutate: (configs: RawEnvironments) => void): string {
  const configs = shippedConfigs();
  mutate(configs);
  try {
    validatePlatform(asRaw(configs));
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected the configs to be rejected');
}

export { copyEnvironmentsDir, writeEnvironmentConfig as writeEnvironment } from '../../environments/files';
