/** Reads a synthesized policy attribute: plain JSON, or `${jsonencode({...})}` with references as `${...}` strings. */
import { parseJsonencode } from '../../modules/guardrails/private/hcl';

export function readPolicy(text: string): any {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) return JSON.parse(trimmed);
  const value = parseJsonencode(trimmed);
  if (value === undefined) throw new Error(`not a policy document: ${text.slice(0, 120)}`);
  return value;
}
