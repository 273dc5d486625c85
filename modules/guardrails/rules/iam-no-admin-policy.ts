import { defineRule, everyTier, problems } from '../rule';
import { ADMIN_MANAGED_POLICY_ARNS } from '../defaults';
import { coversEveryAction, coversEveryResource, parsePolicy } from '../private/policy';
import { blocks, strings } from '../private/values';
import { IDENTITY_POLICY_ATTRIBUTES } from '../private/policy-attributes';

const ATTACHMENTS = ['aws_iam_role_policy_attachment', 'aws_iam_user_policy_attachment', 'aws_iam_group_policy_attachment', 'aws_iam_policy_attachment'];

export const iamNoAdminPolicy = defineRule({
  id: 'PLAT-IAM-1',
  name: 'iam-no-admin-policy',
  info: 'No IAM policy allows every action on every resource.',
  explanation:
    'A workload with `*` on `*` turns any code execution into full control of the account. Deploy roles that genuinely need it are suppressed by name, with the reason.',
  fix: 'Grant the actions the workload calls on the resources it uses (ARNs of this stack or the contracts in stacks/contracts.ts).',
  level: everyTier('error'),
  resourceTypes: [...Object.keys(IDENTITY_POLICY_ATTRIBUTES), 'aws_iam_role', ...ATTACHMENTS],
  evaluate(resource, { stack }) {
    const found: string[] = [];
    const check = (label: string, value: unknown): void => {
      const parsed = parsePolicy(value, stack);
      if (!parsed.ok) found.push(`${label} ${parsed.reason}`);
      else if (parsed.statements.some((s) => s.effect === 'Allow' && coversEveryAction(s) && coversEveryResource(s))) found.push(`${label} allows * on *`);
    };
    const attribute = IDENTITY_POLICY_ATTRIBUTES[resource.type];
    if (attribute) check('policy', resource.attributes[attribute]);
    if (resource.type === 'aws_iam_role') {
      blocks(resource.attributes.inline_policy).forEach((inline) => check(`inline policy "${String(inline.name ?? '?')}"`, inline.policy));
      strings(resource.attributes.managed_policy_arns)
        .filter((arn) => ADMIN_MANAGED_POLICY_ARNS.includes(arn))
        .forEach((arn) => found.push(`attaches ${arn}`));
    }
    if (ATTACHMENTS.includes(resource.type)) {
      const arn = String(resource.attributes.policy_arn ?? '');
      if (ADMIN_MANAGED_POLICY_ARNS.includes(arn)) found.push(`attaches ${arn}`);
    }
    return problems(...found);
  },
});
