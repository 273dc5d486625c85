import type { Platform } from '../environments/load';
import type { EnvironmentConfig } from '../environments/schema';

/** Props of an organization-level stack (`shared-*`, `bootstrap`). */
export interface PlatformStackProps {
  readonly platform: Platform;
}

/** Props of a stack of one environment (`<env>-<layer>`). */
export interface EnvironmentStackProps extends PlatformStackProps {
  readonly environment: EnvironmentConfig;
}
