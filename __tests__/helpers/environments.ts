/** Copies of the shipped environment configs, to break one field at a time in tests. */
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

export { copyEnvironmentsDir, writeEnvironmentConfig as writeEnvironment } from '../../environments/files';
