/** Defaults of the secrets module, named once. */
import type { PerTier } from '../core/tier';
import type { AlertSeverity } from '../core/shared-names';

/** Days a deleted secret can still be restored (Secrets Manager allows 7-30). */
export const RECOVERY_WINDOW_DAYS: PerTier<number> = { dev: 7, staging: 14, prod: 30 };

/** Days a KMS key waits between `ScheduleKeyDeletion` and deletion (KMS allows 7-30). */
export const KEY_DELETION_WINDOW_DAYS: PerTier<number> = { dev: 7, staging: 14, prod: 30 };

/** Rotation intervals Secrets Manager accepts for `automatically_after_days`. */
export const ROTATION_INTERVAL_DAYS = { min: 1, max: 1000 } as const;

/** Length of a generated secret value when the config does not say. */
export const GENERATED_PASSWORD_LENGTH_CHARS = 32;

/** Longest Secrets Manager secret name. */
export const SECRET_NAME_MAX_CHARS = 512;

/** Longest Lambda function name (the rotation function is named after the secret). */
export const FUNCTION_NAME_MAX_CHARS = 64;

/** Alert topic severity a failed rotation pages. */
export const ROTATION_FAILURE_SEVERITY: AlertSeverity = 'critical';

/** CloudTrail events of Secrets Manager that mean a rotation did not complete. */
export const ROTATION_FAILURE_EVENTS = ['RotationFailed', 'RotationAbandoned'] as const;

/** HTTPS: the rotation function reaches Secrets Manager through the interface endpoint. */
export const HTTPS_PORT = 443;

/** Capabilities the AWS rotation templates of the Serverless Application Repository require. */
export const ROTATION_APPLICATION_CAPABILITIES = ['CAPABILITY_IAM', 'CAPABILITY_RESOURCE_POLICY'] as const;

/** Shortest accepted `manualRotation` note (it becomes the guardrail suppression reason). */
export const MANUAL_ROTATION_MIN_CHARS = 20;

/**
 * Keys of the JSON value the AWS rotation functions and managed rotation read and write
 * (https://docs.aws.amazon.com/secretsmanager/latest/userguide/reference_secret_json_structure.html).
 */
export const DATABASE_CREDENTIAL_KEYS: readonly string[] = ['engine', 'host', 'port', 'dbname', 'username', 'password'];
