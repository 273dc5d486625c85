import { defineRule, everyTier, problems } from '../rule';
import { containerLabel, containersOf } from '../private/containers';
import { isObject, isSet } from '../private/values';

export const ecsContainerLogging = defineRule({
  id: 'PLAT-ECS-3',
  name: 'ecs-container-logging',
  info: 'ECS containers send their logs somewhere (logConfiguration with a log driver).',
  explanation: 'Without a log driver the output of a task is lost when it stops, including the reason it failed.',
  fix: 'Set logConfiguration: { logDriver: "awslogs", options: { "awslogs-group": ..., "awslogs-region": ..., "awslogs-stream-prefix": ... } } in the container definition.',
  level: everyTier('error'),
  resourceTypes: ['aws_ecs_task_definition'],
  evaluate(taskDefinition) {
    const parsed = containersOf(taskDefinition);
    if (!parsed.ok) return problems(parsed.reason);
    return problems(
      ...parsed.containers
        .filter((c) => !(isObject(c.logConfiguration) && isSet(c.logConfiguration.logDriver)))
        .map((c) => `${containerLabel(c)} has no logConfiguration.logDriver`),
    );
  },
});
