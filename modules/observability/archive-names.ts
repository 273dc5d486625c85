/** Names of the central archive's KMS key, known from config so every account's trail can use it by alias. */
import type { OrganizationConfig } from '../../environments/schema';

/** Alias (without `alias/`) of the archive key in the log-archive account. */
export function logArchiveKeyAlias(org: OrganizationConfig): string {
  return `${org.namePrefix}-log-archive`;
}

/** Alias ARN of the archive key: CloudTrail and KMS accept it across accounts. */
export function logArchiveKeyAliasArn(org: OrganizationConfig, region: string): string {
  return `arn:aws:kms:${region}:${org.accounts.logArchive.accountId}:alias/${logArchiveKeyAlias(org)}`;
}
