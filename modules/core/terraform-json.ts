/**
 * A JSON document (policy, container definitions, dashboard body, ...) as a Terraform string
 * argument. A plain JSON string when that survives both of cdktf's writers; otherwise Terraform's
 * `jsonencode`, which the HCL writer renders as an expression (`jsonencode({...})`):
 *
 * - with tokens (references to other resources): a JSON string holding `${...}` interpolations
 *   is valid Terraform JSON, but `cdktf synth --hcl` writes it without escaping its quotes;
 * - with a backslash in its JSON text (a string value holding `"` or `\`, such as a CloudWatch
 *   SEARCH expression `MetricName="CPUUtilization"`): cdktf's HCL writer escapes `"` but not
 *   `\`, so `\"` reaches Terraform as a bare quote and the document as invalid JSON.
 */
import { Fn, Token } from 'cdktf';

export function terraformJson(document: unknown): string {
  const text = JSON.stringify(document);
  return containsToken(document) || text.includes('\\') ? Fn.jsonencode(templateSafe(document)) : text;
}

/**
 * The document with its strings ready to become HCL string literals: cdktf 0.21 writes the
 * strings of a function call's arguments escaping only newlines and `${`, so a `"` would end
 * the literal, a `\` start an escape and `%{` a template directive. Escaped here instead.
 */
function templateSafe(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/%\{/g, '%%{');
  if (Array.isArray(value)) return value.map(templateSafe);
  if (value && typeof value === 'object' && !Token.isUnresolved(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [templateSafe(key), templateSafe(item)]));
  }
  return value;
}

function containsToken(value: unknown): boolean {
  if (typeof value === 'string') return Token.isUnresolved(value);
  if (Array.isArray(value)) return value.some(containsToken);
  if (value && typeof value === 'object') return Object.values(value).some(containsToken);
  return false;
}
