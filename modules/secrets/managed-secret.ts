/**
 * One Secrets Manager secret: encrypted with the environment's secrets key, guarded by a resource
 * policy, optionally replicated and rotated.
 *
 * The resource policy
 * - denies every principal but the readers, the administrators and the secret's rotation function;
 * - denies reading the value (`GetSecretValue`) to everyone but the readers and the rotation
 *   function (administrators manage the secret, they do not read it);
 * - denies requests without TLS and principals outside the organization;
 * - allows the readers `GetSecretValue` (a reader in another account needs this statement; in the
 *   same account it delegates to the reader's IAM policy, see `secretsReadPolicy`).
 *
 * No value is ever written by Terraform unless `writeOnlyValue` is given, and then only through the
 * write-only `secret_string_wo` argument: Terraform keeps it out of plan and state.
 */
import { Lazy } from 'cdktf';
import { Construct } from 'constructs';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { SecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/secretsmanager-secret-version';
import { SecretsmanagerSecretRotation } from '@cdktf/provider-aws/lib/secretsmanager-secret-rotation';
import type { SecretsKey } from './secrets-key';
import type { RotationFunction } from './rotation-function';
import { ROTATION_INTERVAL_DAYS } from './defaults';
import { accountOfArn, accountRootArn, uniqueSorted } from './private/arns';
import { protect } from '../core/protection';

/** A value Terraform writes without storing it: an ephemeral expression and its version. */
export interface WriteOnlyValue {
  /** An ephemeral value (`EphemeralRandomPassword.value`, an ephemeral variable). */
  readonly value: string;
  /** Bump to write a new value: write-only arguments are never compared with state. */
  readonly version: number;
}

/** Where a secret is replicated. */
export interface SecretReplica {
  readonly region: string;
  /** Key of that region (the replica of the environment's secrets key). */
  readonly kmsKeyArn: string;
}

export interface ManagedSecretProps {
  /** Full Secrets Manager name, `/<env>/<path>`. */
  readonly secretName: string;
  /** What the secret is and who owns its value. */
  readonly description: string;
  /** The environment's secrets key. */
  readonly key: SecretsKey;
  /** AWS Organizations id: principals outside it are denied. */
  readonly organizationId: string;
  /** Principal ARNs that manage the secret (deploy role, plan role, root user); they cannot read the value. */
  readonly administratorArns: readonly string[];
  /**
   * Principal ARN that writes `writeOnlyValue` (Terraform's deploy role): it may also read the
   * version back, which the provider does on refresh.
   * @default - none (needed only with writeOnlyValue)
   */
  readonly valueWriterArn?: string;
  /** Days a deleted secret can be restored, 7-30. */
  readonly recoveryWindowDays: number;
  /** Replica in a disaster-recovery region. @default - no replica */
  readonly replica?: SecretReplica;
  /** Value written by Terraform through `secret_string_wo`. @default - the value is set out of band or by rotation */
  readonly writeOnlyValue?: WriteOnlyValue;
}

export interface RotationOptions {
  /** Days between rotations, 1-1000. */
  readonly intervalDays: number;
  /** Rotation function from the Serverless Application Repository. @default - AWS-managed rotation (the owning service rotates) */
  readonly rotationFunction?: RotationFunction;
}

/** What `grantRead` granted, and what the consumer side needs to finish the grant. */
export interface SecretGrant {
  readonly principalArn: string;
  readonly secretName: string;
  readonly secretArn: string;
  /** Full key ARN: the consumer's IAM policy must name it (aliases do not authorize Decrypt). */
  readonly kmsKeyArn: string;
  /** Region of the secret (the consumer's `kms:ViaService`). */
  readonly region: string;
  /** True when the principal is in another account than the secret. */
  readonly crossAccount: boolean;
}

const SECRETS_MANAGER_ALL = 'secretsmanager:*';
const READ_ACTIONS = ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'];

export class ManagedSecret extends Construct {
  readonly secretName: string;
  readonly arn: string;
  readonly kmsKeyArn: string;
  private readonly props: ManagedSecretProps;
  private readonly readers = new Set<string>();
  private rotationRolePattern?: string;
  private rotation?: SecretsmanagerSecretRotation;
  private value?: SecretsmanagerSecretVersion;

  constructor(scope: Construct, id: string, props: ManagedSecretProps) {
    super(scope, id);
    if (!/^\/[A-Za-z0-9_+=.@/-]+$/.test(props.secretName) || props.secretName.includes('//') || props.secretName.endsWith('/')) {
      throw new Error(`ManagedSecret ${this.node.path}: secretName must be a path such as /dev/api/db-password (got "${props.secretName}")`);
    }
    if (!Number.isInteger(props.recoveryWindowDays) || props.recoveryWindowDays < 7 || props.recoveryWindowDays > 30) {
      throw new Error(`ManagedSecret ${this.node.path}: recoveryWindowDays must be a whole number from 7 to 30 (got ${props.recoveryWindowDays})`);
    }
    if (props.administratorArns.length === 0) {
      throw new Error(`ManagedSecret ${this.node.path}: administratorArns must name at least one principal, or Terraform locks itself out (got [])`);
    }
    if (props.writeOnlyValue && props.valueWriterArn === undefined) {
      throw new Error(`ManagedSecret ${this.node.path}: writeOnlyValue needs valueWriterArn (the deploy role that writes it and reads the version back)`);
    }
    if (props.writeOnlyValue && (!Number.isInteger(props.writeOnlyValue.version) || props.writeOnlyValue.version < 1)) {
      throw new Error(`ManagedSecret ${this.node.path}: writeOnlyValue.version must be a whole number >= 1 (got ${props.writeOnlyValue.version})`);
    }
    this.props = props;
    this.secretName = props.secretName;
    this.kmsKeyArn = props.key.keyArn;

    const secret = new SecretsmanagerSecret(this, 'Resource', {
      name: props.secretName,
      description: props.description,
      kmsKeyId: props.key.keyArn,
      recoveryWindowInDays: props.recoveryWindowDays,
      replica: props.replica ? [{ region: props.replica.region, kmsKeyId: props.replica.kmsKeyArn }] : undefined,
      // Inline rather than aws_secretsmanager_secret_policy: the policy names no ARN of its own
      // secret, is in place from the secret's first moment, and `secret_arn` (validated as an
      // ARN) cannot hold the random string a mocked apply gives `arn`.
      policy: Lazy.stringValue({ produce: () => this.policyJson() }),
    });
    protect(secret, `secret ${props.secretName}: its value is lost once the recovery window ends`);
    this.arn = secret.arn;

    if (props.writeOnlyValue) {
      this.value = new SecretsmanagerSecretVersion(this, 'value', {
        secretId: secret.id,
        secretStringWo: props.writeOnlyValue.value,
        secretStringWoVersion: props.writeOnlyValue.version,
        lifecycle: { ignoreChanges: ['version_stages'] },
      });
    }
  }

  /**
   * Lets `principalArn` read the secret: the resource policy and the key policy name it. The
   * principal's own IAM policy must allow it too (`secretsReadPolicy(grant)`), in its account.
   */
  grantRead(principalArn: string): SecretGrant {
    const account = accountOfArn(principalArn);
    if (account === undefined || principalArn.includes('*')) {
      throw new Error(`ManagedSecret ${this.node.path}: grantRead needs one IAM role ARN such as arn:aws:iam::123456789012:role/prod-api-execution (got "${principalArn}")`);
    }
    this.readers.add(principalArn);
    this.props.key.grantDecrypt(principalArn);
    return {
      principalArn,
      secretName: this.secretName,
      secretArn: this.arn,
      kmsKeyArn: this.kmsKeyArn,
      region: this.props.key.region,
      crossAccount: account !== this.props.key.accountId,
    };
  }

  /** Rotates the secret every `intervalDays`. Never replaces the secret: rotation is its own resource. */
  rotate(options: RotationOptions): void {
    const { min, max } = ROTATION_INTERVAL_DAYS;
    if (!Number.isInteger(options.intervalDays) || options.intervalDays < min || options.intervalDays > max) {
      throw new Error(`ManagedSecret ${this.node.path}: rotate intervalDays must be a whole number from ${min} to ${max} (got ${options.intervalDays})`);
    }
    if (this.rotation) throw new Error(`ManagedSecret ${this.node.path}: rotate was already called; a secret has one rotation schedule`);
    const fn = options.rotationFunction;
    if (fn) {
      this.rotationRolePattern = fn.rolePattern;
      this.props.key.grantEncryptDecrypt(fn.rolePattern);
    }
    const waitFor = [...(fn ? [fn.application] : []), ...(this.value ? [this.value] : [])];
    this.rotation = new SecretsmanagerSecretRotation(this, 'rotation', {
      secretId: this.arn,
      rotationLambdaArn: fn?.functionArn,
      rotationRules: { automaticallyAfterDays: options.intervalDays },
      rotateImmediately: false,
      // The value first: Secrets Manager tests a new rotation configuration at once.
      dependsOn: waitFor.length > 0 ? waitFor : undefined,
    });
  }

  /** Principal ARNs that may read the value, sorted. */
  get readerArns(): string[] {
    return uniqueSorted(this.readers);
  }

  /** True once `rotate` was called. */
  get rotates(): boolean {
    return this.rotation !== undefined;
  }

  private policyJson(): string {
    const readers = [...this.readers];
    const rotation = this.rotationRolePattern ? [this.rotationRolePattern] : [];
    const writer = this.props.writeOnlyValue && this.props.valueWriterArn ? [this.props.valueWriterArn] : [];
    const notService = { BoolIfExists: { 'aws:PrincipalIsAWSService': 'false' } };
    const statements: Record<string, unknown>[] = [
      {
        Sid: 'DenyAllButReadersAndAdministrators',
        Effect: 'Deny',
        Principal: '*',
        Action: SECRETS_MANAGER_ALL,
        Resource: '*',
        Condition: { StringNotLike: { 'aws:PrincipalArn': uniqueSorted([...readers, ...this.props.administratorArns, ...rotation]) }, ...notService },
      },
      {
        Sid: 'DenyValueToAllButReaders',
        Effect: 'Deny',
        Principal: '*',
        Action: 'secretsmanager:GetSecretValue',
        Resource: '*',
        Condition: { StringNotLike: { 'aws:PrincipalArn': uniqueSorted([...readers, ...rotation, ...writer]) }, ...notService },
      },
      {
        Sid: 'DenyInsecureTransport',
        Effect: 'Deny',
        Principal: '*',
        Action: SECRETS_MANAGER_ALL,
        Resource: '*',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
      {
        Sid: 'DenyOutsideOrganization',
        Effect: 'Deny',
        Principal: '*',
        Action: SECRETS_MANAGER_ALL,
        Resource: '*',
        Condition: { StringNotEqualsIfExists: { 'aws:PrincipalOrgID': this.props.organizationId }, ...notService },
      },
    ];
    if (readers.length > 0) {
      const roots = uniqueSorted(readers.map((arn) => accountRootArn(accountOfArn(arn)!)));
      statements.push({
        Sid: 'AllowReaders',
        Effect: 'Allow',
        Principal: { AWS: roots.length === 1 ? roots[0] : roots },
        Action: READ_ACTIONS,
        Resource: '*',
        Condition: { ArnEquals: { 'aws:PrincipalArn': uniqueSorted(readers) } },
      });
    }
    return JSON.stringify({ Version: '2012-10-17', Statement: statements });
  }
}
