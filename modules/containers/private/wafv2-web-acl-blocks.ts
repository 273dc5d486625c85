/**
 * `Wafv2WebAcl` whose rule statements `cdktf synth --hcl` writes as blocks. The binding types a
 * rule's `statement` as `any`, so cdktf's HCL writer would write `statement = { ... }`, which
 * Terraform rejects (modules/core/hcl-blocks.ts). The Terraform JSON is unchanged.
 */
import { Wafv2WebAcl } from '@cdktf/provider-aws/lib/wafv2-web-acl';
import { hclBlocks } from '../../core/hcl-blocks';

interface HclRule {
  statement?: { value?: unknown };
}

export class Wafv2WebAclWithStatementBlocks extends Wafv2WebAcl {
  protected synthesizeHclAttributes(): { [name: string]: unknown } {
    const attributes = super.synthesizeHclAttributes();
    const rules = (attributes.rule as { value?: unknown } | undefined)?.value;
    if (!Array.isArray(rules)) return attributes;
    for (const rule of rules as HclRule[]) {
      const statement = rule.statement?.value;
      if (typeof statement === 'object' && statement !== null && !Array.isArray(statement)) {
        rule.statement = hclBlocks(statement as Record<string, unknown>);
      }
    }
    return attributes;
  }
}
