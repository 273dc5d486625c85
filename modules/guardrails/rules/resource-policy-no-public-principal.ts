import { NOT_APPLICABLE, defineRule, everyTier, problems } from '../rule';
import { hasWildcardPrincipal, parsePolicy } from '../private/policy';

/** Resource policies by resource type and attribute. */
const RESOURCE_POLICIES: Readonly<Record<string, string>> = {
  aws_s3_bucket_policy: 'policy',
  aws_s3_bucket: 'policy',
  aws_kms_key: 'policy',
  aws_sns_topic_policy: 'policy',
  aws_sns_topic: 'policy',
  aws_sqs_queue_policy: 'policy',
  aws_sqs_queue: 'policy',
  aws_secretsmanager_secret_policy: 'policy',
  aws_secretsmanager_secret: 'policy',
  aws_ecr_repository_policy: 'policy',
  aws_ecr_registry_policy: 'policy',
  aws_cloudwatch_log_resource_policy: 'policy_document',
  aws_iam_role: 'assume_role_policy',
};

export const resourcePolicyNoPublicPrincipal = defineRule({
  id: 'PLAT-IAM-2',
  name: 'resource-policy-no-public-principal',
  info: 'No resource policy allows a wildcard principal without a condition.',
  explanation:
    'Principal "*" without a condition grants the action to every AWS account and anonymous callers. Keep access inside the organization (aws:PrincipalOrgID) or name the principals.',
  fix: 'Name the principals (account ARNs, services) or add a condition such as aws:PrincipalOrgID = <organization id>, aws:SourceAccount or aws:SourceArn.',
  level: everyTier('error'),
  resourceTypes: Object.keys(RESOURCE_POLICIES),
  evaluate(resource, { stack }) {
    const value = resource.attributes[RESOURCE_POLICIES[resource.type]];
    if (value === undefined) return NOT_APPLICABLE;
    const parsed = parsePolicy(value, stack);
    if (!parsed.ok) return problems(`${RESOURCE_POLICIES[resource.type]} ${parsed.reason}`);
    return problems(
      ...parsed.statements
        .filter((s) => s.effect === 'Allow' && hasWildcardPrincipal(s) && !s.hasCondition)
        .map((s) => `${RESOURCE_POLICIES[resource.type]} allows ${s.actions.join(', ') || '(no action)'} to principal * with no condition`),
    );
  },
});
