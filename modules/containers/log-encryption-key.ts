import { Construct } from 'constructs';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { CustomerManagedKey, logsUseKey } from '../core/customer-managed-key';

export interface LogEncryptionKeyProps {
  /** Alias of the key, `alias/dev-platform-logs`. */
  readonly aliasName: string;
  /** Account that owns the key and the log groups. */
  readonly accountId: string;
  /** Region of the log groups (CloudWatch Logs is a regional principal). */
  readonly region: string;
  /** Principals (role ARNs) that may decrypt with the key besides the account, e.g. the ECS Exec task roles. @default - none */
  readonly decrypterArns?: readonly string[];
  /** What the key encrypts, for its description. @default - the container platform log groups */
  readonly purpose?: string;
  /** Waiting period when the key is deleted. @default DEFAULT_KEY_DELETION_WINDOW_DAYS */
  readonly deletionWindowDays?: number;
}

/**
 * A customer-managed KMS key, rotated yearly, that CloudWatch Logs of this account and region
 * may use for the platform's log groups (service logs, ECS Exec sessions).
 */
export class LogEncryptionKey extends Construct {
  readonly key: KmsKey;
  readonly keyArn: string;

  constructor(scope: Construct, id: string, props: LogEncryptionKeyProps) {
    super(scope, id);
    if (!props.aliasName.startsWith('alias/') || props.aliasName.startsWith('alias/aws/')) {
      throw new Error(`LogEncryptionKey aliasName must start with "alias/" and not "alias/aws/" (got "${props.aliasName}"); use e.g. alias/dev-platform-logs`);
    }
    const key = new CustomerManagedKey(this, 'Resource', {
      description: `Encrypts ${props.purpose ?? 'the container platform log groups'} (${props.aliasName.slice('alias/'.length)})`,
      aliasName: props.aliasName,
      accountId: props.accountId,
      region: props.region,
      deletionWindowDays: props.deletionWindowDays,
      statements: [logsUseKey('CloudWatchLogsEncrypts', props.region, `arn:aws:logs:${props.region}:${props.accountId}:log-group:*`)],
    });
    this.key = key.key;
    this.keyArn = key.key.arn;
  }
}
