/** Reads a synthesized JSON attribute (policy, container definitions): plain JSON, or `${jsonencode({...})}` with references as `${...}` strings. */
import { DefaultTokenResolver, StringConcat, Tokenization } from 'cdktf';
import type { IConstruct } from 'constructs';
import { parseJsonencode } from '../../modules/core/jsonencode-reader';

export function readJsonDocument(text: string): any {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) return JSON.parse(trimmed);
  const value = parseJsonencode(trimmed);
  if (value === undefined) throw new Error(`not a policy document: ${text.slice(0, 120)}`);
  return value;
}

/** A policy string that still holds tokens, resolved as `scope`'s stack would write it. */
export function resolvedIn(scope: IConstruct, policy: string): string {
  return Tokenization.resolve(policy, { scope, preparing: false, resolver: new DefaultTokenResolver(new StringConcat()) });
}
