/**
 * AWS Backup for one environment: a KMS-encrypted vault (locked in prod, so recovery points
 * outlive a compromised admin), a daily plan that selects every resource tagged `backup = true`,
 * a copy of each recovery point to a vault in the DR region (prod), failure notifications to
 * the critical topic, and the service role AWS Backup assumes.
 */
import { Construct } from 'constructs';
import type { ITerraformDependable, TerraformProvider } from 'cdktf';
import { BackupVault } from '@cdktf/provider-aws/lib/backup-vault';
import { BackupVaultLockConfiguration } from '@cdktf/provider-aws/lib/backup-vault-lock-configuration';
import { BackupVaultNotifications } from '@cdktf/provider-aws/lib/backup-vault-notifications';
import { BackupPlan } from '@cdktf/provider-aws/lib/backup-plan';
import { BackupSelection } from '@cdktf/provider-aws/lib/backup-selection';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { serviceTrustPolicy } from '../core/iam';
import { roleArn } from '../core/shared-names';
import { CustomerManagedKey } from '../core/customer-managed-key';
import { BACKUP_SELECTION_TAG, VAULT_LOCK_GRACE_DAYS, VAULT_LOCK_MIN_RETENTION_DAYS } from './defaults';
import type { BackupSettings } from './settings';
import { protect } from '../core/protection';

/** AWS managed policies of the AWS Backup service role. */
export const BACKUP_SERVICE_POLICIES = {
  backup: 'arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup',
  restores: 'arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores',
} as const;

/** Vault events that notify the topic. */
export const BACKUP_FAILURE_EVENTS = ['BACKUP_JOB_FAILED', 'COPY_JOB_FAILED', 'RESTORE_JOB_FAILED'];

export interface BackupsProps {
  /** Environment name (resource names). */
  readonly environment: string;
  readonly accountId: string;
  /** The vault's region (the environment's). */
  readonly region: string;
  readonly settings: BackupSettings;
  /** Topic (same account and region) notified of failed jobs. */
  readonly notificationTopicArn: string;
  /** Provider of the DR region; required when `settings.copyToRegion` is set. @default - none */
  readonly copyProvider?: TerraformProvider;
  /** What the notifications wait for (the topic of the same stack). @default - nothing */
  readonly notificationsDependOn?: ITerraformDependable[];
}

export class Backups extends Construct {
  readonly vault: BackupVault;
  readonly plan: BackupPlan;
  /** The DR-region vault, when recovery points are copied. */
  readonly copyVault?: BackupVault;
  /** Its ARN (deterministic). */
  readonly copyVaultArn?: string;

  constructor(scope: Construct, id: string, props: BackupsProps) {
    const { settings } = props;
    if (settings.copyToRegion && !props.copyProvider) {
      throw new Error(`Backups ${id}: settings.copyToRegion is "${settings.copyToRegion}" but no copyProvider was given; pass stack.awsProvider(..., "${settings.copyToRegion}", alias)`);
    }
    if (settings.vaultLock && settings.retentionDays < VAULT_LOCK_MIN_RETENTION_DAYS) {
      throw new Error(`Backups ${id}: settings.retentionDays is ${settings.retentionDays}; a locked vault needs at least ${VAULT_LOCK_MIN_RETENTION_DAYS}`);
    }
    super(scope, id);
    const name = `${props.environment}-backups`;

    const key = new CustomerManagedKey(this, 'key', { description: `${props.environment} backup vault`, aliasName: `alias/${name}`, accountId: props.accountId, region: props.region, statements: [] });
    this.vault = new BackupVault(this, 'vault', { name, kmsKeyArn: key.arn });
    protect(this.vault, `backup vault ${name}: its recovery points go with it`);
    if (settings.vaultLock) this.lock(this.vault, 'vault_lock');
    new BackupVaultNotifications(this, 'vault_notifications', {
      backupVaultName: this.vault.name,
      snsTopicArn: props.notificationTopicArn,
      backupVaultEvents: BACKUP_FAILURE_EVENTS,
      dependsOn: props.notificationsDependOn,
    });

    if (settings.copyToRegion) {
      const copyKey = new CustomerManagedKey(this, 'copy_key', {
        provider: props.copyProvider,
        description: `${props.environment} backup copies (DR)`,
        aliasName: `alias/${name}-dr`,
        accountId: props.accountId,
        region: settings.copyToRegion,
        statements: [],
      });
      this.copyVault = new BackupVault(this, 'copy_vault', { provider: props.copyProvider, name: `${name}-dr`, kmsKeyArn: copyKey.arn });
      protect(this.copyVault, `backup vault ${name}-dr: the disaster-recovery copies go with it`);
      this.copyVaultArn = `arn:aws:backup:${settings.copyToRegion}:${props.accountId}:backup-vault:${name}-dr`;
      if (settings.vaultLock) this.lock(this.copyVault, 'copy_vault_lock', props.copyProvider);
    }

    const roleName = `${props.environment}-backup`;
    const role = new IamRole(this, 'role', {
      name: roleName,
      assumeRolePolicy: serviceTrustPolicy('backup.amazonaws.com', { StringEquals: { 'aws:SourceAccount': props.accountId } }),
    });
    const attachments = Object.entries(BACKUP_SERVICE_POLICIES).map(
      ([purpose, policyArn]) => new IamRolePolicyAttachment(this, `role_${purpose}`, { role: role.name, policyArn }),
    );

    this.plan = new BackupPlan(this, 'plan', {
      name,
      rule: [
        {
          ruleName: 'daily',
          targetVaultName: this.vault.name,
          schedule: settings.schedule,
          lifecycle: { deleteAfter: settings.retentionDays },
          copyAction: this.copyVault
            ? [{ destinationVaultArn: this.copyVaultArn!, lifecycle: { deleteAfter: settings.retentionDays } }]
            : undefined,
        },
      ],
      dependsOn: this.copyVault ? [this.copyVault] : undefined,
    });
    new BackupSelection(this, 'selection', {
      name: `${props.environment}-tagged`,
      planId: this.plan.id,
      iamRoleArn: roleArn(props.accountId, roleName),
      dependsOn: [role, ...attachments],
      selectionTag: [{ type: 'STRINGEQUALS', key: BACKUP_SELECTION_TAG.key, value: BACKUP_SELECTION_TAG.value }],
    });
  }

  private lock(vault: BackupVault, id: string, provider?: TerraformProvider): void {
    const lock = new BackupVaultLockConfiguration(this, id, {
      provider,
      backupVaultName: vault.name,
      minRetentionDays: VAULT_LOCK_MIN_RETENTION_DAYS,
      changeableForDays: VAULT_LOCK_GRACE_DAYS,
    });
    protect(lock, 'vault lock: without it recovery points can be deleted before their retention ends');
  }
}
