import { RegistryRepository, REGISTRY, type RegistryRepositoryProps } from '../../../modules/containers';
import { newTestStack, resourcesOf, synthJson } from '../../helpers/platform';

function synthRepo(overrides: Partial<RegistryRepositoryProps> = {}) {
  const stack = newTestStack('shared');
  new RegistryRepository(stack, 'repository_api', { repositoryName: 'api', kmsKeyArn: 'arn:aws:kms:eu-west-1:410987654321:key/registry', pullAccountIds: ['610987654321', '510987654321'], pinnedTags: ['1.4.2'], ...overrides });
  return synthJson(stack);
}

describe('RegistryRepository', () => {
  const json = synthRepo();
  it('has immutable tags, scan on push and KMS encryption', () => {
    expect(resourcesOf(json, 'aws_ecr_repository').repository_api).toEqual(
      expect.objectContaining({
        name: 'api',
        image_tag_mutability: 'IMMUTABLE',
        image_scanning_configuration: { scan_on_push: true },
        encryption_configuration: [{ encryption_type: 'KMS', kms_key: 'arn:aws:kms:eu-west-1:410987654321:key/registry' }],
      }),
    );
  });
  it('lets the workload accounts pull, never push', () => {
    const policy = JSON.parse(resourcesOf(json, 'aws_ecr_repository_policy').repository_api_policy.policy);
    expect(policy.Statement).toEqual([
      expect.objectContaining({
        Effect: 'Allow',
        Principal: { AWS: ['arn:aws:iam::510987654321:root', 'arn:aws:iam::610987654321:root'] },
        Action: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
      }),
    ]);
    expect(JSON.stringify(policy)).not.toMatch(/ecr:(PutImage|InitiateLayerUpload|UploadLayerPart|CompleteLayerUpload|\*)/);
  });
  it('keeps pinned tags, expires untagged after D days and keeps the last N tagged', () => {
    const rules = JSON.parse(resourcesOf(json, 'aws_ecr_lifecycle_policy').repository_api_lifecycle.policy).rules;
    expect(rules.map((rule: any) => rule.selection)).toEqual([
      expect.objectContaining({ tagStatus: 'tagged', tagPatternList: ['1.4.2'] }),
      { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: REGISTRY.untaggedExpiryDays },
      { tagStatus: 'tagged', tagPatternList: ['*'], countType: 'imageCountMoreThan', countNumber: REGISTRY.keepTaggedImages },
    ]);
    expect(rules[0].rulePriority).toBeLessThan(rules[2].rulePriority);
  });
  it('takes N and D from props', () => {
    const rules = JSON.parse(resourcesOf(synthRepo({ keepTaggedImages: 5, untaggedExpiryDays: 3, pinnedTags: [] }), 'aws_ecr_lifecycle_policy').repository_api_lifecycle.policy).rules;
    expect(rules.map((rule: any) => rule.selection.countNumber)).toEqual([3, 5]);
  });
  it.each<[string, Partial<RegistryRepositoryProps>, RegExp]>([
    ['an invalid name', { repositoryName: 'API' }, /repositoryName "API" is not an ECR repository name/],
    ['no pulling account', { pullAccountIds: [] }, /pullAccountIds must be 12-digit account ids, at least one/],
    ['a bad account id', { pullAccountIds: ['123'] }, /pullAccountIds must be 12-digit account ids.*\["123"\]/],
  ])('throws on %s', (_label, overrides, message) => {
    expect(() => synthRepo(overrides)).toThrow(message);
  });
});
