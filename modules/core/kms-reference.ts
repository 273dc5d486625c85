/**
 * How a KMS key is named in an argument. AWS accepts four forms where a key is expected (key
 * id, key ARN, alias name, alias ARN), but many services store and read back the key ARN
 * whatever they were given, so an alias there shows as a change on every plan.
 */

/** `alias/<name>`, or `arn:<partition>:kms:<region>:<account>:alias/<name>`. */
const KMS_ALIAS = /^(alias\/|arn:aws[a-z-]*:kms:[a-z0-9-]*:\d{0,12}:alias\/)/;

/** Whether `value` names a KMS key by an alias (name or ARN) rather than by key id or key ARN. */
export function isKmsAlias(value: unknown): value is string {
  return typeof value === 'string' && KMS_ALIAS.test(value.trim());
}
