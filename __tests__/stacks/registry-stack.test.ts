import { Testing } from 'cdktf';
import { validatePlatform } from '../../environments/load';
import dev from '../../environments/dev/config';
import staging from '../../environments/staging/config';
import prod from '../../environments/prod/config';
import shared from '../../environments/shared/config';
import { RegistryStack } from '../../stacks/registry-stack';
import { resourcesOf, shippedPlatform } from '../helpers/platform';

function registry(edit?: (configs: Record<string, any>) => void) {
  let platform = shippedPlatform();
  if (edit) {
    const configs: Record<string, any> = JSON.parse(JSON.stringify({ dev, staging, prod, shared }));
    edit(configs);
    platform = validatePlatform(Object.entries(configs).map(([name, value]) => ({ name, value })));
  }
  const stack = new RegistryStack(Testing.app(), { platform });
  return { stack, json: JSON.parse(Testing.synth(stack)) };
}

describe('RegistryStack', () => {
  describe('with the shipped configs', () => {
    const { stack, json } = registry();
    it('deploys into the tooling account', () => {
      expect(stack.node.id).toBe('shared-registry');
      expect(json.provider.aws[0].allowed_account_ids).toEqual(['410987654321']);
    });
    it('holds one repository per pinned repository of any environment', () => {
      expect(Object.values(resourcesOf(json, 'aws_ecr_repository')).map((repo: any) => repo.name)).toEqual(['api', 'web']);
    });
    it('lets every workload account pull', () => {
      const policy = JSON.parse(resourcesOf(json, 'aws_ecr_repository_policy').repository_api_policy.policy);
      expect(policy.Statement[0].Principal.AWS).toEqual(['arn:aws:iam::510987654321:root', 'arn:aws:iam::610987654321:root', 'arn:aws:iam::710987654321:root']);
    });
    it('protects every tag an environment pins from expiry', () => {
      const rules = JSON.parse(resourcesOf(json, 'aws_ecr_lifecycle_policy').repository_api_lifecycle.policy).rules;
      expect(rules[0].selection.tagPatternList).toEqual(['1.4.2', '1.5.0']);
    });
    it('encrypts with a rotated key of its own', () => {
      expect(resourcesOf(json, 'aws_kms_key').registry_key.enable_key_rotation).toBe(true);
      expect(resourcesOf(json, 'aws_ecr_repository').repository_api.encryption_configuration[0].kms_key).toBe('arn:aws:kms:eu-west-1:410987654321:key/${aws_kms_key.registry_key.key_id}');
    });
  });

  describe('when configs change', () => {
    it('adds a repository a service starts pinning, and the extra repositories of the organization', () => {
      const { json } = registry((configs) => {
        configs.dev.services.list[1].image = `team/worker@sha256:${'0'.repeat(64)}`;
        configs.shared.services = { registry: { extraRepositories: ['batch'], keepTaggedImages: 7 } };
      });
      expect(Object.values(resourcesOf(json, 'aws_ecr_repository')).map((repo: any) => repo.name)).toEqual(['api', 'batch', 'team/worker', 'web']);
      expect(Object.keys(resourcesOf(json, 'aws_ecr_repository'))).toContain('repository_team_worker');
      const batchRules = JSON.parse(resourcesOf(json, 'aws_ecr_lifecycle_policy').repository_batch_lifecycle.policy).rules;
      expect(batchRules.at(-1).selection.countNumber).toBe(7);
    });
  });
});
