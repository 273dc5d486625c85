/** ARN helpers of the secrets module. */
const ACCOUNT_OF_ARN = /^arn:aws:[a-z0-9-]*:[a-z0-9-]*:(\d{12}):/;

/** The account id in an IAM ARN (`arn:aws:iam::123456789012:role/x` -> `123456789012`), or undefined. */
export function accountOfArn(arn: string): string | undefined {
  return ACCOUNT_OF_ARN.exec(arn)?.[1];
}

/** The principal a resource policy names to reach a role of `accountId` without the role having to exist yet. */
export function accountRootArn(accountId: string): string {
  return `arn:aws:iam::${accountId}:root`;
}

/** The endpoint every Secrets Manager call of a region goes through (the `kms:ViaService` value). */
export function secretsManagerService(region: string): string {
  return `secretsmanager.${region}.amazonaws.com`;
}

/** Sorted, without duplicates: policies read the same on every synth. */
export function uniqueSorted(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}
