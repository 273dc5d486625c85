/**
 * Nested blocks for cdktf's HCL writer where the provider binding has no type for them.
 *
 * `@cdktf/provider-aws` types some deeply nested blocks as `any` to keep the package small (a
 * WAFv2 rule's `statement`, for example). The JSON writer does not care, but the HCL writer
 * (`cdktf synth --hcl`) learns from the binding whether a value is a block or an attribute,
 * gets nothing for `any`, and writes `statement = { ... }`: an attribute, which Terraform
 * rejects ("An argument named "statement" is not expected here"). `hclBlocks` describes such
 * a value the way the binding would have: every object is a block, every list of objects
 * repeated blocks, everything else an attribute. That is the shape of the blocks it is used
 * for (WAFv2 statements have no map- or object-typed attributes).
 */

import { Tokenization } from 'cdktf';

/** The description cdktf's HCL writer reads for an attribute (`cdktf/lib/hcl/render.js`). */
export interface HclAttribute {
  readonly value: unknown;
  readonly isBlock: boolean;
  readonly type: 'list' | 'simple';
  readonly storageClassType: string;
}

/** `value` (a plain object) as nested HCL blocks, for an attribute the binding types as `any`. */
export function hclBlocks(value: Record<string, unknown>): HclAttribute {
  return { value: blockBody(value), isBlock: true, type: 'list', storageClassType: 'object' };
}

function blockBody(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, item]) => item !== undefined)
      .map(([key, item]) => {
        if (isObjectList(item)) return [key, { value: item.map(blockBody), isBlock: true, type: 'list', storageClassType: 'objectList' }];
        if (isPlainObject(item)) return [key, hclBlocks(item)];
        return [key, item];
      }),
  );
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !Tokenization.isResolvable(value);
}

function isObjectList(value: unknown): value is Record<string, unknown>[] {
  return Array.isArray(value) && value.length > 0 && value.every(isPlainObject);
}
