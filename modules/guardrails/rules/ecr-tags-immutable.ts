import { defineRule, everyTier, problems } from '../rule';

export const ecrTagsImmutable = defineRule({
  id: 'PLAT-ECR-1',
  name: 'ecr-tags-immutable',
  info: 'ECR repositories have immutable image tags.',
  explanation: 'With mutable tags, the image a tag names can change after review and promotion; a deployment would run something nobody promoted.',
  fix: 'Set image_tag_mutability = "IMMUTABLE" on the aws_ecr_repository.',
  level: everyTier('error'),
  resourceTypes: ['aws_ecr_repository'],
  evaluate(repository) {
    const mutability = String(repository.attributes.image_tag_mutability ?? 'MUTABLE');
    return problems(!mutability.startsWith('IMMUTABLE') && `image_tag_mutability is ${mutability}`);
  },
});
