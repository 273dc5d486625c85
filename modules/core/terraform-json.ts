/**
 * A JSON document (policy, container definitions, ...) as a Terraform string argument. Without
 * tokens it is a plain JSON string. With tokens (references to other resources) it is rendered
 * with Terraform's `jsonencode`: a JSON string holding `${...}` interpolations is valid
 * Terraform JSON, but `cdktf synth --hcl` mangles it into invalid HCL.
 */
import { Fn, Token } from 'cdktf';

export function terraformJson(document: unknown): string {
  return containsToken(document) ? Fn.jsonencode(document) : JSON.stringify(document);
}

function containsToken(value: unknown): boolean {
  if (typeof value === 'string') return Token.isUnresolved(value);
  if (Array.isArray(value)) return value.some(containsToken);
  if (value && typeof value === 'object') return Object.values(value).some(containsToken);
  return false;
}
