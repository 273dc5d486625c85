import { defineRule, everyTier, problems } from '../rule';
import { containerLabel, containersOf } from '../private/containers';
import { isTrue } from '../private/values';

export const ecsContainerReadOnlyRoot = defineRule({
  id: 'PLAT-ECS-2',
  name: 'ecs-container-read-only-root',
  info: 'ECS containers run with a read-only root filesystem.',
  explanation: 'A read-only root filesystem stops an intruder from changing binaries or dropping tools into the container.',
  fix: 'Set readonlyRootFilesystem: true in the container definition; give the application a volume (or tmpfs) for the paths it writes.',
  level: everyTier('error'),
  resourceTypes: ['aws_ecs_task_definition'],
  evaluate(taskDefinition) {
    const parsed = containersOf(taskDefinition);
    if (!parsed.ok) return problems(parsed.reason);
    return problems(...parsed.containers.filter((c) => !isTrue(c.readonlyRootFilesystem)).map((c) => `${containerLabel(c)} has no readonlyRootFilesystem: true`));
  },
});
