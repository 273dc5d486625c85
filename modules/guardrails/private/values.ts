/** Readers for resolved attribute values (cdk.tf.json shapes). */

export type Attributes = Readonly<Record<string, unknown>>;

/** A nested block: cdktf writes single blocks as an object and repeated ones as an array. */
export function blocks(value: unknown): Attributes[] {
  if (Array.isArray(value)) return value.filter(isObject);
  return isObject(value) ? [value] : [];
}

/** The first nested block, or undefined. */
export function block(value: unknown): Attributes | undefined {
  return blocks(value)[0];
}

export function isObject(value: unknown): value is Attributes {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `true` written as a boolean or the string Terraform accepts. */
export function isTrue(value: unknown): boolean {
  return value === true || value === 'true';
}

/** A non-empty string (a literal or a reference). */
export function isSet(value: unknown): value is string {
  return typeof value === 'string' && value.trim().length > 0;
}

/** Strings of a value that is a string or a list of strings. */
export function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((item): item is string => typeof item === 'string');
  return [];
}

/** A number written as a number or a numeric string; undefined otherwise (tokens, absent). */
export function numberOf(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim())) return Number(value);
  return undefined;
}

/** Whether a string holds an unresolved Terraform expression (`${...}`). */
export function isExpression(value: unknown): boolean {
  return typeof value === 'string' && value.includes('${');
}

/** Every address (`aws_vpc.main`, `data.aws_iam_policy_document.x`) referenced in a value. */
export function referencedAddresses(value: unknown): string[] {
  const found = new Set<string>();
  const visit = (item: unknown): void => {
    if (typeof item === 'string') {
      if (!item.includes('${')) return;
      for (const match of item.matchAll(REFERENCE)) found.add(match[1]);
    } else if (Array.isArray(item)) item.forEach(visit);
    else if (isObject(item)) Object.values(item).forEach(visit);
  };
  visit(value);
  return [...found];
}

/** `aws_x.name.` preceded by something that cannot be part of a longer address. */
const REFERENCE = /(?<![\w.-])((?:data\.)?[a-z][a-z0-9]*_[a-z0-9_]+\.[A-Za-z_][\w-]*)\.[A-Za-z_]/g;

/** Whether a value references `address` (any attribute of it). */
export function mentions(value: unknown, address: string): boolean {
  return referencedAddresses(value).includes(address);
}
