import { defineRule, everyTier, problems } from '../rule';
import { containerLabel, containersOf } from '../private/containers';
import { isTrue } from '../private/values';

export const ecsContainerNotPrivileged = defineRule({
  id: 'PLAT-ECS-1',
  name: 'ecs-container-not-privileged',
  info: 'ECS containers are not privileged.',
  explanation: 'A privileged container has root on its host; Fargate refuses it, and on EC2 it breaks the isolation between tasks.',
  fix: 'Remove privileged (or set it to false) from the container definition.',
  level: everyTier('error'),
  resourceTypes: ['aws_ecs_task_definition'],
  evaluate(taskDefinition) {
    const parsed = containersOf(taskDefinition);
    if (!parsed.ok) return problems(parsed.reason);
    return problems(...parsed.containers.filter((c) => isTrue(c.privileged)).map((c) => `${containerLabel(c)} is privileged`));
  },
});
