import { DEFAULT_MASKED_ATTRIBUTE_NAMES, DEFAULT_MASKED_VALUE_PATTERNS, KNOWN_SECRET_ATTRIBUTES, MASKED_PLACEHOLDER, NOT_SECRET_ATTRIBUTE_NAME } from './constants';
import { errors } from './errors';

/** What to mask even where the plan does not mark a value sensitive. */
export interface MaskOptions {
  /**
   * Text that is replaced by `(masked)` wherever it appears in a value or address.
   * @default DEFAULT_MASKED_VALUE_PATTERNS (AWS access key ids, PEM private keys, GitHub and Slack tokens)
   */
  valuePatterns: readonly RegExp[];
  /**
   * Attribute names (any segment of the attribute path) whose values are replaced by `(masked)`.
   * @default DEFAULT_MASKED_ATTRIBUTE_NAMES (password, secret, token, private key, access key, api key, credential)
   */
  attributeNamePatterns: readonly RegExp[];
}

/** The default masks. */
export const DEFAULT_MASK_OPTIONS: MaskOptions = {
  valuePatterns: DEFAULT_MASKED_VALUE_PATTERNS,
  attributeNamePatterns: DEFAULT_MASKED_ATTRIBUTE_NAMES,
};

/**
 * Compiles user-given regular expressions (for example from `--mask-pattern`) into global value patterns.
 * @throws PlanCommentError naming the pattern when one is not a valid regular expression
 */
export function compileValuePatterns(patterns: readonly string[]): RegExp[] {
  return patterns.map((pattern) => {
    try {
      return new RegExp(pattern, 'g');
    } catch (error) {
      throw errors.badMaskPattern(pattern, (error as Error).message);
    }
  });
}

/** Replaces every match of the value patterns in `text` by `(masked)`. */
export function maskText(text: string, options: MaskOptions): string {
  let masked = text;
  for (const pattern of options.valuePatterns) {
    const global = pattern.global ? pattern : new RegExp(pattern.source, `${pattern.flags}g`);
    masked = masked.replace(global, MASKED_PLACEHOLDER);
  }
  return masked;
}

/** True when an attribute of this name holds a value that must be masked (names of references, such as `secret_arn`, do not). */
export function isMaskedAttributeName(name: string, options: MaskOptions): boolean {
  if (NOT_SECRET_ATTRIBUTE_NAME.test(name)) return false;
  return options.attributeNamePatterns.some((pattern) => {
    pattern.lastIndex = 0;
    return pattern.test(name);
  });
}

/** True when the top-level attribute `name` of `resourceType` is known to carry a secret (KNOWN_SECRET_ATTRIBUTES). */
export function isKnownSecretAttribute(resourceType: string | undefined, name: string): boolean {
  return resourceType !== undefined && (KNOWN_SECRET_ATTRIBUTES[resourceType] ?? []).includes(name);
}
