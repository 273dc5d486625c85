/** Name of the central archive's KMS key alias (the trails name the key by its ARN, a cross-stack reference). */
import type { OrganizationConfig } from '../../environments/schema';

/** Alias (without `alias/`) of the archive key in the log-archive account. */
export function logArchiveKeyAlias(org: OrganizationConfig): string {
  return `${org.namePrefix}-log-archive`;
}
