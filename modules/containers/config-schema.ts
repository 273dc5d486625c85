import { z } from 'zod';
import type { ConfigIssue } from '../core/config-issue';
import type { EnvironmentConfig } from '../../environments/schema';

/** The `containers` section of an environment config (placeholder until the module lands). */
export const servicesConfigSchema = z.unknown().optional();

/** Checks of this section that need the other environments or other sections. */
export function validateSection(_env: EnvironmentConfig, _all: readonly EnvironmentConfig[]): ConfigIssue[] {
  return [];
}
