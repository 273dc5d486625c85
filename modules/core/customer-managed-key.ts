/**
 * A customer-managed KMS key as every platform key must be: rotation on, administered by its
 * account, an alias, and a policy that lists exactly the services that may use it.
 */
import { Construct } from 'constructs';
import type { TerraformProvider } from 'cdktf';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { policyDocument, type PolicyStatement } from './iam';
import { protect } from './protection';

/** Days a scheduled key deletion waits, unless a module's tier table says otherwise. */
export const DEFAULT_KEY_DELETION_WINDOW_DAYS = 30;

/** Actions a service needs to encrypt and decrypt with a key. */
export const KEY_USE_ACTIONS = ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'];

export interface CustomerManagedKeyProps {
  readonly description: string;
  /** The alias, as AWS writes it: `alias/dev/secrets`. */
  readonly aliasName: string;
  /** The account that owns (and administers) the key. */
  readonly accountId: string;
  /** Region of the key (its provider's). */
  readonly region: string;
  /** Statements granting services or roles the use of the key. @default - none: only the account administers it */
  readonly statements?: readonly PolicyStatement[];
  /** @default - the stack's default AWS provider */
  readonly provider?: TerraformProvider;
  /** @default DEFAULT_KEY_DELETION_WINDOW_DAYS */
  readonly deletionWindowDays?: number;
}

export class CustomerManagedKey extends Construct {
  readonly key: KmsKey;
  readonly alias: KmsAlias;
  /**
   * The key ARN, assembled from region, account and key id: the same value as the `arn`
   * attribute, and a well-formed ARN under a mocked provider too.
   */
  readonly arn: string;

  constructor(scope: Construct, id: string, props: CustomerManagedKeyProps) {
    if (!/^alias\/[A-Za-z0-9/_-]+$/.test(props.aliasName) || props.aliasName.startsWith('alias/aws/')) {
      throw new Error(`CustomerManagedKey ${id}: aliasName must look like alias/<name> and not start with alias/aws/ (got "${props.aliasName}"); for example alias/dev/secrets`);
    }
    super(scope, id);
    this.key = new KmsKey(this, 'Resource', {
      provider: props.provider,
      description: props.description,
      enableKeyRotation: true,
      deletionWindowInDays: props.deletionWindowDays ?? DEFAULT_KEY_DELETION_WINDOW_DAYS,
      policy: policyDocument([
        { Sid: 'AccountAdministers', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${props.accountId}:root` }, Action: 'kms:*', Resource: '*' },
        ...(props.statements ?? []),
      ]),
    });
    this.arn = `arn:aws:kms:${props.region}:${props.accountId}:key/${this.key.keyId}`;
    protect(this.key, `KMS key ${props.aliasName}: whatever it encrypted becomes unreadable once it is deleted`);
    this.alias = new KmsAlias(this, 'alias', { provider: props.provider, name: props.aliasName, targetKeyId: this.key.keyId });
  }
}

/** A statement letting service principals use the key. */
export function serviceUsesKey(sid: string, services: readonly string[], condition?: PolicyStatement['Condition']): PolicyStatement {
  return {
    Sid: sid,
    Effect: 'Allow',
    Principal: { Service: services.length === 1 ? services[0] : services },
    Action: KEY_USE_ACTIONS,
    Resource: '*',
    ...(condition ? { Condition: condition } : {}),
  };
}

/** CloudWatch Logs of `region` may use the key for the log groups matching `logGroupArnPattern`. */
export function logsUseKey(sid: string, region: string, logGroupArnPattern: string): PolicyStatement {
  return serviceUsesKey(sid, [`logs.${region}.amazonaws.com`], { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': logGroupArnPattern } });
}
