/** Customer-managed KMS keys of the module: rotation on, the account administers, services listed use. */
import { Construct } from 'constructs';
import type { TerraformProvider } from 'cdktf';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { policyDocument, type PolicyStatement } from '../../core/iam';
import { KMS_DELETION_WINDOW_DAYS } from '../defaults';

export interface ModuleKeyProps {
  readonly description: string;
  /** Alias without the `alias/` prefix. */
  readonly alias: string;
  /** The account that owns (and administers) the key. */
  readonly accountId: string;
  /** Region of the key (its provider's). */
  readonly region: string;
  /** Statements granting services the use of the key. */
  readonly statements: readonly PolicyStatement[];
  readonly provider?: TerraformProvider;
}

/** Actions a service needs to encrypt and decrypt with a key. */
export const KEY_USE_ACTIONS = ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'];

export class ModuleKey extends Construct {
  readonly key: KmsKey;
  readonly alias: KmsAlias;
  /**
   * The key ARN, assembled from region, account and key id: the same value as the `arn`
   * attribute, and a well-formed ARN under a mocked provider too.
   */
  readonly arn: string;

  constructor(scope: Construct, id: string, props: ModuleKeyProps) {
    super(scope, id);
    this.key = new KmsKey(this, 'Resource', {
      provider: props.provider,
      description: props.description,
      enableKeyRotation: true,
      deletionWindowInDays: KMS_DELETION_WINDOW_DAYS,
      policy: policyDocument([
        {
          Sid: 'AccountAdministers',
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${props.accountId}:root` },
          Action: 'kms:*',
          Resource: '*',
        },
        ...props.statements,
      ]),
    });
    this.arn = `arn:aws:kms:${props.region}:${props.accountId}:key/${this.key.keyId}`;
    this.alias = new KmsAlias(this, 'alias', { provider: props.provider, name: `alias/${props.alias}`, targetKeyId: this.key.keyId });
  }
}

/** A statement letting a service principal use the key. */
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
