import { defineRule, problems } from '../rule';
import { invariantLevel, invariantPrefix } from '../tier-invariants';
import { isTrue } from '../private/values';

export const tierEcsExecOff = defineRule({
  id: 'PLAT-TIER-5',
  name: 'tier-ecs-exec-off',
  info: 'Where the tier requires it (prod), ECS Exec is off.',
  explanation: 'ECS Exec opens a shell into running production tasks, outside the deployment path.',
  fix: 'Set enable_execute_command = false (or leave it unset) on the aws_ecs_service.',
  level: invariantLevel((tier) => tier.ecsExecOff),
  resourceTypes: ['aws_ecs_service'],
  evaluate(service, { stack }) {
    return problems(isTrue(service.attributes.enable_execute_command) && `${invariantPrefix(stack.environment, 'ecsExecOff')}: enable_execute_command is true`);
  },
});
