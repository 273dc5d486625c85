/**
 * The `secrets` section of an environment config: the Secrets Manager secrets of the environment,
 * who reads each one, how it rotates and where it is replicated.
 *
 * The zod schema checks shapes only; the rules that name a secret in their message
 * (`secrets.api/db-password.rotation.intervalDays`) live in `validateSection`.
 */
import { z } from 'zod';
import { serviceNames } from '../containers/config-schema';
import type { ConfigIssue } from '../core/config-issue';
import type { EnvironmentConfig } from '../../environments/schema';
import { isKnownRegion, KNOWN_REGIONS } from '../core/regions';
import { terraformId } from '../core/naming';
import { DATABASE_CREDENTIAL_KEYS, MANUAL_ROTATION_MIN_CHARS, ROTATION_INTERVAL_DAYS, SECRET_NAME_MAX_CHARS } from './defaults';

/** A rotation function of the AWS Serverless Application Repository. */
const serverlessApplicationSchema = z
  .object({
    /** `arn:aws:serverlessrepo:us-east-1:297356227824:applications/SecretsManagerRDSPostgreSQLRotationSingleUser` */
    applicationId: z.string(),
    /** Pinned version of the application (`1.1.367`). */
    semanticVersion: z.string(),
    /** Database port the function reaches in the data tier. @default - no access to the data tier */
    databasePort: z.number().int().min(1).max(65535).optional(),
  })
  .strict();

const rotationSchema = z
  .object({
    /** Days between rotations, 1-1000. */
    intervalDays: z.number(),
    /** `aws-managed` (the owning service rotates) or a rotation function from the Serverless Application Repository. */
    mechanism: z.union([z.literal('aws-managed'), z.object({ serverlessApplication: serverlessApplicationSchema }).strict()]),
  })
  .strict();

const generatedValueSchema = z
  .object({
    /** @default 32 */
    lengthChars: z.number().int().min(8).max(4096).optional(),
    /** Characters the generated value must not contain. */
    excludeCharacters: z.string().optional(),
    /** Bump to write a new generated value (write-only arguments are not compared with state). */
    version: z.number().int().min(1),
  })
  .strict();

export const secretConfigSchema = z
  .object({
    /** Path below the environment (`api/db-password`): the secret is `/<env>/<name>`. */
    name: z.string(),
    description: z.string().min(1).max(2048),
    /** Service names of this environment, or IAM role ARNs (of any account of the platform). */
    readers: z.array(z.string()).min(1, { message: 'must name at least one reader (a service of this environment or an IAM role ARN)' }),
    /** @default - no rotation */
    rotation: rotationSchema.optional(),
    /** Disaster-recovery region holding a replica. @default - no replica */
    replicaRegion: z.string().optional(),
    /**
     * Who rotates the value by hand, and how, when `rotation` is absent (a third-party API key):
     * the reason the rotation guardrail is suppressed for this secret.
     * @default - required when rotation is absent
     */
    manualRotation: z.string().optional(),
    /**
     * Let AWS generate the value and write it through a write-only argument (never in state).
     * @default - the value is set out of band (`aws secretsmanager put-secret-value`) or by rotation
     */
    generatedValue: generatedValueSchema.optional(),
    /**
     * True once the value is in Secrets Manager (`put-secret-value` done, or `generatedValue`).
     * Rotation starts only then: Secrets Manager tests a new rotation configuration at once
     * (`testSecret`), which fails on a secret without a value and pages on-call.
     * @default - true with generatedValue, false otherwise
     */
    valueSet: z.boolean().optional(),
    /**
     * Keys of the JSON object the value is; a service injects one of them (`jsonKey`).
     * @default - DATABASE_CREDENTIAL_KEYS when a rotation function or managed rotation writes it, a plain string otherwise
     */
    jsonKeys: z.array(z.string().regex(/^[A-Za-z0-9_.-]+$/, { message: 'must be a JSON key of letters, digits, _ . -' })).min(1).optional(),
  })
  .strict();

export const secretsConfigSchema = z.array(secretConfigSchema).default([]);

export type SecretConfig = z.output<typeof secretConfigSchema>;
export type RotationConfig = z.output<typeof rotationSchema>;
export type ServerlessApplicationConfig = z.output<typeof serverlessApplicationSchema>;

/** A segment of a secret name: the characters Secrets Manager allows, except the `/` separator. */
const NAME_SEGMENT = /^[A-Za-z0-9_+=.@-]+$/;
/** A name ending in `-` and six characters reads like the random suffix of a secret ARN and breaks ARN wildcards. */
const ARN_SUFFIX_LOOKALIKE = /-[A-Za-z0-9]{6}$/;
const ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/[\w+=,.@/-]{1,512}$/;
const SAR_APPLICATION_ARN = /^arn:aws:serverlessrepo:[a-z0-9-]+:\d{12}:applications\/[A-Za-z0-9-]+$/;
const SEMANTIC_VERSION = /^\d+\.\d+\.\d+$/;

/** What a secret's value is: a plain string, or a JSON object with these keys. */
export type SecretShape = { readonly kind: 'string' } | { readonly kind: 'json'; readonly keys: readonly string[] };

/** The shape of a configured secret's value (what a service may inject from it). */
export function secretShape(secret: SecretConfig): SecretShape {
  if (secret.jsonKeys) return { kind: 'json', keys: secret.jsonKeys };
  if (secret.rotation) return { kind: 'json', keys: DATABASE_CREDENTIAL_KEYS };
  return { kind: 'string' };
}

/** True when rotation may start: the value is in place (first apply stays quiet otherwise). */
export function rotationStarts(secret: SecretConfig): boolean {
  return secret.rotation !== undefined && (secret.valueSet ?? secret.generatedValue !== undefined);
}

/** The Secrets Manager name of a configured secret: `/dev/api/db-password`. */
export function secretFullName(environment: string, name: string): string {
  return `/${environment}/${name}`;
}

/** True when a reader entry is an IAM role ARN (otherwise it names a service). */
export function isRoleArn(reader: string): boolean {
  return ROLE_ARN.test(reader);
}

/** Problems of one secret name, or undefined when it is allowed. */
export function secretNameProblem(environment: string, name: string): string | undefined {
  const segments = name.split('/');
  if (segments.length < 2 || segments.some((segment) => segment.length === 0)) {
    return 'must be a path of at least two segments such as api/db-password (no leading, trailing or double slash)';
  }
  const bad = segments.find((segment) => !NAME_SEGMENT.test(segment));
  if (bad !== undefined) return `segment "${bad}" may hold only letters, digits and _+=.@- (segments are separated by /)`;
  if (ARN_SUFFIX_LOOKALIKE.test(name)) return 'must not end in a dash and six characters: that reads like the random suffix of a secret ARN';
  const full = secretFullName(environment, name);
  if (full.length > SECRET_NAME_MAX_CHARS) return `makes the secret name ${full} longer than ${SECRET_NAME_MAX_CHARS} characters`;
  return undefined;
}

/** Checks of the secrets section that need the rest of the environment (services, region) or the other environments (accounts). */
export function validateSection(env: EnvironmentConfig, all: readonly EnvironmentConfig[]): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const secrets = (env.secrets ?? []) as SecretConfig[];
  const services = serviceNames(env);
  const platformAccounts = new Set(all.flatMap(accountsOf));
  const seenIds = new Map<string, string>();
  const issue = (secret: SecretConfig, field: string, value: unknown, message: string) =>
    issues.push({ environment: env.name, field: `secrets.${secret.name}${field ? `.${field}` : ''}`, value, message });

  for (const secret of secrets) {
    const nameProblem = secretNameProblem(env.name, secret.name);
    if (nameProblem) issue(secret, 'name', secret.name, nameProblem);
    const id = terraformId(secret.name);
    const earlier = seenIds.get(id);
    if (earlier !== undefined) {
      issue(secret, 'name', secret.name, earlier === secret.name ? 'is declared twice' : `collides with "${earlier}" (both become Terraform name ${id}); rename one`);
    }
    seenIds.set(id, secret.name);

    for (const reader of secret.readers) {
      if (isRoleArn(reader)) {
        const account = ROLE_ARN.exec(reader)![1];
        if (!platformAccounts.has(account)) {
          issue(secret, 'readers', reader, `is a role in account ${account}, which is no account of the platform; allowed: ${[...platformAccounts].join(', ')}`);
        }
      } else if (services.includes(reader)) {
        const service = env.services.list.find((candidate) => candidate.name === reader)!;
        const uses = Object.values(service.secrets).some((ref) => (typeof ref === 'string' ? ref : ref.environment === undefined || ref.environment === env.name ? ref.secret : undefined) === secret.name);
        if (!uses) {
          issue(secret, 'readers', reader, `names service ${reader}, whose secrets do not use ${secret.name}; add it to services.${reader}.secrets (injected, or read: 'run-time') or remove the reader`);
        }
      } else {
        issue(
          secret,
          'readers',
          reader,
          `names no service of ${env.name} and is no IAM role ARN; ` +
            (services.length > 0 ? `declared services: ${services.join(', ')}` : `${env.name} declares no services, so only role ARNs (arn:aws:iam::<account>:role/<name>) are allowed`),
        );
      }
    }

    const rotation = secret.rotation;
    if (rotation) {
      const { min, max } = ROTATION_INTERVAL_DAYS;
      if (!Number.isInteger(rotation.intervalDays) || rotation.intervalDays < min || rotation.intervalDays > max) {
        issue(secret, 'rotation.intervalDays', rotation.intervalDays, `must be a whole number of days from ${min} to ${max}`);
      }
      if (rotation.mechanism !== 'aws-managed') {
        const app = rotation.mechanism.serverlessApplication;
        if (!SAR_APPLICATION_ARN.test(app.applicationId)) {
          issue(
            secret,
            'rotation.mechanism.serverlessApplication.applicationId',
            app.applicationId,
            'must be a Serverless Application Repository ARN such as arn:aws:serverlessrepo:us-east-1:297356227824:applications/SecretsManagerRDSPostgreSQLRotationSingleUser',
          );
        }
        if (!SEMANTIC_VERSION.test(app.semanticVersion)) {
          issue(secret, 'rotation.mechanism.serverlessApplication.semanticVersion', app.semanticVersion, 'must be a pinned version such as 1.1.367');
        }
      }
    }

    if (!rotation && (secret.manualRotation ?? '').trim().length < MANUAL_ROTATION_MIN_CHARS) {
      issue(
        secret,
        'manualRotation',
        secret.manualRotation,
        `is required when rotation is absent: say who rotates the value by hand and how (at least ${MANUAL_ROTATION_MIN_CHARS} characters), or add rotation`,
      );
    }
    if (rotation && secret.manualRotation !== undefined) {
      issue(secret, 'manualRotation', secret.manualRotation, 'applies only to secrets without rotation; remove it or the rotation');
    }

    if (secret.valueSet === false && secret.generatedValue) {
      issue(secret, 'valueSet', false, 'contradicts generatedValue: Terraform writes the value in the same apply; remove valueSet');
    }

    if (secret.replicaRegion !== undefined) {
      if (!isKnownRegion(secret.replicaRegion)) {
        issue(secret, 'replicaRegion', secret.replicaRegion, `must be a known AWS region (${KNOWN_REGIONS.join(', ')})`);
      } else if (secret.replicaRegion === env.region) {
        issue(secret, 'replicaRegion', secret.replicaRegion, `must differ from the primary region ${env.region}: a replica in the same region protects against nothing`);
      }
    }
  }
  return issues;
}

function accountsOf(env: EnvironmentConfig): string[] {
  const org = env.organization;
  return [env.accountId, ...(org ? [org.accounts.logArchive.accountId, org.accounts.tooling.accountId] : [])];
}
