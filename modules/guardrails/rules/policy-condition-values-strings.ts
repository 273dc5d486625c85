import { NOT_APPLICABLE, defineRule, everyTier, problems } from '../rule';
import { parsePolicy } from '../private/policy';
import { IDENTITY_POLICY_ATTRIBUTES, RESOURCE_POLICY_ATTRIBUTES } from '../private/policy-attributes';

const POLICY_ATTRIBUTES: Readonly<Record<string, string>> = { ...RESOURCE_POLICY_ATTRIBUTES, ...IDENTITY_POLICY_ATTRIBUTES };

/**
 * AWS stores condition values as strings (`"Bool": {"aws:SecureTransport": false}` comes back
 * as `"false"`; crossplane-contrib/provider-aws#1771 shows the read-back), and the provider's
 * policy comparison (hashicorp/awspolicyequivalence, conditionsBlock.Equals / newStringSet)
 * treats a non-string value as unequal to every string: the policy differs on every plan.
 */
export const policyConditionValuesStrings = defineRule({
  id: 'PLAT-DRIFT-3',
  name: 'policy-condition-values-strings',
  info: 'Policy condition values are strings ("false", "3600"), never JSON booleans or numbers.',
  explanation:
    'AWS returns every condition value as a string, and the provider compares policies with string sets, so a JSON true/false or number in a Condition never equals what AWS reads back: the policy shows as changed on every plan and every drift run.',
  fix: 'Quote the value: { Bool: { "aws:SecureTransport": "false" } }, { NumericLessThan: { "aws:MultiFactorAuthAge": "3600" } }.',
  level: everyTier('error'),
  resourceTypes: Object.keys(POLICY_ATTRIBUTES),
  evaluate(resource, { stack }) {
    const attribute = POLICY_ATTRIBUTES[resource.type];
    const parsed = parsePolicy(resource.attributes[attribute], stack);
    // An unreadable document is PLAT-IAM-1 / PLAT-IAM-2's finding, not this rule's.
    if (!parsed.ok || parsed.statements.length === 0) return NOT_APPLICABLE;
    return problems(
      ...parsed.statements.flatMap((statement) =>
        statement.conditions
          .filter((condition) => condition.nonStringValues.length > 0)
          .map((condition) => `${attribute} condition ${condition.operator} ${condition.key} has ${condition.nonStringValues.map((value) => JSON.stringify(value)).join(', ')} (not a string); AWS reads back "${condition.nonStringValues.map(String).join('", "')}"`),
      ),
    );
  },
});
