/**
 * The consumer side of a secret grant: the IAM policy a reader role needs, in its own account.
 * The container platform attaches it to a service's execution (and task) role, naming only the
 * secrets that service lists; for a cross-account grant it lives in the consumer's environment.
 */
import { secretsManagerService, uniqueSorted } from './private/arns';
import { policyDocument } from '../core/iam';

/** A secret as the consumer sees it (a `SecretHandle` or a `SecretGrant` fits). */
export interface ReadableSecret {
  /** Full secret ARN (with its random suffix). */
  readonly arn?: string;
  readonly secretArn?: string;
  /** Full key ARN: KMS authorizes Decrypt by key ARN, never by alias. */
  readonly kmsKeyArn: string;
}

/**
 * IAM policy JSON: `GetSecretValue` on exactly these secrets and `kms:Decrypt` on exactly their
 * keys, through Secrets Manager of `region` only.
 */
export function secretsReadPolicy(secrets: readonly ReadableSecret[], region: string): string {
  if (secrets.length === 0) throw new Error('secretsReadPolicy: secrets must list at least one secret (got [])');
  const secretArns = secrets.map((secret) => {
    const arn = secret.secretArn ?? secret.arn;
    if (arn === undefined) throw new Error('secretsReadPolicy: every secret needs its arn (or secretArn)');
    return arn;
  });
  return policyDocument([
      {
        Sid: 'ReadListedSecrets',
        Effect: 'Allow',
        Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
        Resource: uniqueSorted(secretArns),
      },
      {
        Sid: 'DecryptThroughSecretsManager',
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Resource: uniqueSorted(secrets.map((secret) => secret.kmsKeyArn)),
        Condition: { StringEquals: { 'kms:ViaService': secretsManagerService(region) } },
      },
  ]);
}
