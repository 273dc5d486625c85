/**
 * The customer-managed KMS key an environment's secrets are encrypted with.
 *
 * - automatic yearly rotation, alias `alias/<env>/secrets`, deletion window by tier;
 * - multi-region primary from the start, so adding a replica region later never replaces the
 *   key (`multi_region` forces a new key); a replica key per disaster-recovery region;
 * - key policy: the administrators manage the key but get no plaintext from it; only the named
 *   reader roles may decrypt, and only through Secrets Manager (`kms:ViaService`). Readers are
 *   named through `aws:PrincipalArn` on their account's root principal, so a role that does not
 *   exist yet (the container platform creates them later) does not make the policy invalid.
 */
import { Lazy, type TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsReplicaKey } from '@cdktf/provider-aws/lib/kms-replica-key';
import { terraformId } from '../core/naming';
import { accountOfArn, accountRootArn, secretsManagerService, uniqueSorted } from './private/arns';
import { protect } from '../core/protection';

/** Key management without cryptographic use (no Decrypt, Encrypt, GenerateDataKey, ReEncrypt). */
const KEY_ADMINISTRATION_ACTIONS = [
  'kms:CancelKeyDeletion',
  'kms:CreateAlias',
  'kms:Delete*',
  'kms:Describe*',
  'kms:Disable*',
  'kms:Enable*',
  'kms:Get*',
  'kms:List*',
  'kms:Put*',
  'kms:ReplicateKey',
  'kms:Revoke*',
  'kms:RotateKeyOnDemand',
  'kms:ScheduleKeyDeletion',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:Update*',
];
const KEY_READ_ACTIONS = ['kms:Describe*', 'kms:Get*', 'kms:List*'];
const DECRYPT_ACTIONS = ['kms:Decrypt'];
const WRITE_ACTIONS = ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'];

export interface SecretsKeyReplica {
  /** Disaster-recovery region. */
  readonly region: string;
  /** AWS provider of that region (same account). */
  readonly provider: TerraformProvider;
}

export interface SecretsKeyProps {
  /** Account that owns the key. */
  readonly accountId: string;
  /** Region of the primary key. */
  readonly region: string;
  /** Alias, for example `alias/dev/secrets`. */
  readonly aliasName: string;
  /** Key description shown in the console. */
  readonly description: string;
  /** Days between `ScheduleKeyDeletion` and deletion, 7-30. */
  readonly deletionWindowDays: number;
  /**
   * Principal ARNs that manage the key (Terraform's deploy role, the account root user as a
   * break-glass). They may also encrypt through Secrets Manager, to write values and replicas.
   */
  readonly administratorArns: readonly string[];
  /** Principal ARNs that may describe the key (the read-only plan role). @default - none */
  readonly auditorArns?: readonly string[];
  /** Replica keys in other regions. @default - none */
  readonly replicas?: readonly SecretsKeyReplica[];
}

export class SecretsKey extends Construct {
  /** ARN of the primary key. */
  readonly keyArn: string;
  /** Replica key ARN per region. */
  readonly replicaKeyArns: Readonly<Record<string, string>>;
  readonly aliasName: string;
  /** Account and region of the primary key (and of the secrets it encrypts). */
  readonly accountId: string;
  readonly region: string;
  private readonly props: SecretsKeyProps;
  private readonly decrypters = new Set<string>();
  private readonly writers = new Set<string>();

  constructor(scope: Construct, id: string, props: SecretsKeyProps) {
    super(scope, id);
    if (!/^alias\/[A-Za-z0-9/_-]+$/.test(props.aliasName) || props.aliasName.startsWith('alias/aws/')) {
      throw new Error(`SecretsKey ${this.node.path}: aliasName must look like alias/<env>/secrets and not start with alias/aws/ (got "${props.aliasName}")`);
    }
    if (!Number.isInteger(props.deletionWindowDays) || props.deletionWindowDays < 7 || props.deletionWindowDays > 30) {
      throw new Error(`SecretsKey ${this.node.path}: deletionWindowDays must be a whole number from 7 to 30 (got ${props.deletionWindowDays})`);
    }
    if (props.administratorArns.length === 0) {
      throw new Error(`SecretsKey ${this.node.path}: administratorArns must name at least one principal, or nobody can manage the key (got [])`);
    }
    const badAdmin = props.administratorArns.find((arn) => accountOfArn(arn) !== props.accountId);
    if (badAdmin !== undefined) {
      throw new Error(`SecretsKey ${this.node.path}: administratorArns must be principals of the key's account ${props.accountId} (got "${badAdmin}")`);
    }
    this.props = props;
    this.aliasName = props.aliasName;
    this.accountId = props.accountId;
    this.region = props.region;

    const key = new KmsKey(this, 'Resource', {
      description: props.description,
      enableKeyRotation: true,
      deletionWindowInDays: props.deletionWindowDays,
      multiRegion: true,
      policy: Lazy.stringValue({ produce: () => this.policyJson(props.region) }),
    });
    protect(key, `KMS key ${props.aliasName}: every secret it encrypts becomes unreadable once it is deleted`);
    new KmsAlias(this, 'alias', { name: props.aliasName, targetKeyId: key.keyId });
    this.keyArn = key.arn;

    const replicaArns: Record<string, string> = {};
    for (const replica of props.replicas ?? []) {
      if (replica.region === props.region) {
        throw new Error(`SecretsKey ${this.node.path}: replicas must be in other regions than the primary ${props.region} (got ${replica.region})`);
      }
      const regionId = terraformId(replica.region);
      const replicaKey = new KmsReplicaKey(this, `replica_${regionId}`, {
        provider: replica.provider,
        // Built from the key id rather than `key.arn`: the same value, and an ARN even where a
        // mocked apply fills `arn` with a random string (primary_key_arn is validated as an ARN).
        primaryKeyArn: `arn:aws:kms:${props.region}:${props.accountId}:key/${key.keyId}`,
        description: `${props.description} (replica in ${replica.region})`,
        deletionWindowInDays: props.deletionWindowDays,
        policy: Lazy.stringValue({ produce: () => this.policyJson(replica.region) }),
      });
      protect(replicaKey, `KMS replica key ${props.aliasName} in ${replica.region}: the replicated secrets there become unreadable`);
      new KmsAlias(this, `replica_${regionId}_alias`, { provider: replica.provider, name: props.aliasName, targetKeyId: replicaKey.keyId });
      replicaArns[replica.region] = replicaKey.arn;
    }
    this.replicaKeyArns = replicaArns;
  }

  /** Lets `principalArn` (a role of any account of the organization) decrypt, through Secrets Manager only. */
  grantDecrypt(principalArn: string): void {
    this.requireAccount('grantDecrypt', principalArn);
    this.decrypters.add(principalArn);
  }

  /** Lets `principalArn` encrypt and decrypt through Secrets Manager (rotation functions write new versions). */
  grantEncryptDecrypt(principalArn: string): void {
    this.requireAccount('grantEncryptDecrypt', principalArn);
    this.writers.add(principalArn);
  }

  /** Principal ARNs (or patterns) that may decrypt, sorted. */
  get decrypterArns(): string[] {
    return uniqueSorted([...this.decrypters, ...this.writers]);
  }

  private requireAccount(method: string, principalArn: string): void {
    if (accountOfArn(principalArn) === undefined) {
      throw new Error(`SecretsKey ${this.node.path}: ${method} needs an IAM principal ARN with an account id, such as arn:aws:iam::123456789012:role/dev-api-execution (got "${principalArn}")`);
    }
  }

  /** The key policy of the key in `region` (the replica's policy names its own regional endpoint). */
  private policyJson(region: string): string {
    const props = this.props;
    const root = accountRootArn(props.accountId);
    const viaSecretsManager = { 'kms:ViaService': secretsManagerService(region) };
    const statements: Record<string, unknown>[] = [
      {
        Sid: 'KeyAdministration',
        Effect: 'Allow',
        Principal: { AWS: root },
        Action: KEY_ADMINISTRATION_ACTIONS,
        Resource: '*',
        Condition: { ArnEquals: { 'aws:PrincipalArn': uniqueSorted(props.administratorArns) } },
      },
      {
        Sid: 'AdministratorsWriteThroughSecretsManager',
        Effect: 'Allow',
        Principal: { AWS: root },
        Action: WRITE_ACTIONS,
        Resource: '*',
        Condition: { StringEquals: viaSecretsManager, ArnEquals: { 'aws:PrincipalArn': uniqueSorted(props.administratorArns) } },
      },
    ];
    if ((props.auditorArns ?? []).length > 0) {
      statements.push({
        Sid: 'Auditors',
        Effect: 'Allow',
        Principal: { AWS: root },
        Action: KEY_READ_ACTIONS,
        Resource: '*',
        Condition: { ArnEquals: { 'aws:PrincipalArn': uniqueSorted(props.auditorArns ?? []) } },
      });
    }
    if (this.decrypters.size > 0) {
      statements.push(this.throughSecretsManager('ReadersDecryptThroughSecretsManager', DECRYPT_ACTIONS, [...this.decrypters], viaSecretsManager));
    }
    if (this.writers.size > 0) {
      statements.push(this.throughSecretsManager('RotationEncryptDecryptThroughSecretsManager', WRITE_ACTIONS, [...this.writers], viaSecretsManager));
    }
    return JSON.stringify({ Version: '2012-10-17', Statement: statements });
  }

  private throughSecretsManager(sid: string, actions: string[], principals: string[], via: Record<string, string>): Record<string, unknown> {
    const roots = uniqueSorted(principals.map((arn) => accountRootArn(accountOfArn(arn)!)));
    return {
      Sid: sid,
      Effect: 'Allow',
      Principal: { AWS: roots.length === 1 ? roots[0] : roots },
      Action: actions,
      Resource: '*',
      Condition: { StringEquals: via, ArnLike: { 'aws:PrincipalArn': uniqueSorted(principals) } },
    };
  }
}
