import { NOT_APPLICABLE, defineRule, everyTier, problems } from '../rule';
import { hasWildcardPrincipal, parsePolicy } from '../private/policy';
import { RESOURCE_POLICY_ATTRIBUTES } from '../private/policy-attributes';

export const resourcePolicyNoPublicPrincipal = defineRule({
  id: 'PLAT-IAM-2',
  name: 'resource-policy-no-public-principal',
  info: 'No resource policy allows a wildcard principal without a condition.',
  explanation:
    'Principal "*" without a condition grants the action to every AWS account and anonymous callers. Keep access inside the organization (aws:PrincipalOrgID) or name the principals.',
  fix: 'Name the principals (account ARNs, services) or add a condition such as aws:PrincipalOrgID = <organization id>, aws:SourceAccount or aws:SourceArn.',
  level: everyTier('error'),
  resourceTypes: Object.keys(RESOURCE_POLICY_ATTRIBUTES),
  evaluate(resource, { stack }) {
    const value = resource.attributes[RESOURCE_POLICY_ATTRIBUTES[resource.type]];
    if (value === undefined) return NOT_APPLICABLE;
    const parsed = parsePolicy(value, stack);
    if (!parsed.ok) return problems(`${RESOURCE_POLICY_ATTRIBUTES[resource.type]} ${parsed.reason}`);
    return problems(
      ...parsed.statements
        .filter((s) => s.effect === 'Allow' && hasWildcardPrincipal(s) && !s.hasCondition)
        .map((s) => `${RESOURCE_POLICY_ATTRIBUTES[resource.type]} allows ${s.actions.join(', ') || '(no action)'} to principal * with no condition`),
    );
  },
});
