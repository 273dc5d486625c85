import { defineRule, everyTier, problems } from '../rule';
import { block, blocks, isTrue, strings } from '../private/values';

const SCANNING_FREQUENCIES = ['SCAN_ON_PUSH', 'CONTINUOUS_SCAN'];

export const ecrScanOnPush = defineRule({
  id: 'PLAT-ECR-2',
  name: 'ecr-scan-on-push',
  info: 'ECR images are scanned on push (repository setting or a registry scanning rule for every repository).',
  explanation: 'Scanning on push finds known vulnerabilities before an image is promoted.',
  fix: 'Set image_scanning_configuration { scan_on_push = true } on the aws_ecr_repository, or add an aws_ecr_registry_scanning_configuration with a SCAN_ON_PUSH or CONTINUOUS_SCAN rule filtered on "*".',
  level: everyTier('error'),
  resourceTypes: ['aws_ecr_repository'],
  evaluate(repository, { stack }) {
    if (isTrue(block(repository.attributes.image_scanning_configuration)?.scan_on_push)) return problems();
    const registryWide = stack
      .resourcesOfType('aws_ecr_registry_scanning_configuration')
      .some((config) =>
        blocks(config.attributes.rule).some(
          (rule) => SCANNING_FREQUENCIES.includes(String(rule.scan_frequency)) && blocks(rule.repository_filter).some((filter) => strings(filter.filter).includes('*')),
        ),
      );
    return problems(!registryWide && 'image_scanning_configuration.scan_on_push is not true and no registry scanning rule covers it');
  },
});
