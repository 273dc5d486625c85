import { NOT_APPLICABLE, defineRule, problems } from '../rule';
import { invariantLevel, invariantPrefix } from '../tier-invariants';
import { block, isTrue } from '../private/values';

export const tierEcsCircuitBreaker = defineRule({
  id: 'PLAT-TIER-4',
  name: 'tier-ecs-circuit-breaker',
  info: 'ECS services roll back failed deployments (deployment circuit breaker with rollback).',
  explanation: 'Without the circuit breaker, a task that never gets healthy is retried forever while the old tasks drain.',
  fix: 'Set deployment_circuit_breaker { enable = true, rollback = true } on the aws_ecs_service.',
  level: invariantLevel((tier) => tier.deploymentCircuitBreaker),
  resourceTypes: ['aws_ecs_service'],
  evaluate(service, { stack }) {
    const controller = String(block(service.attributes.deployment_controller)?.type ?? 'ECS');
    if (controller !== 'ECS') return NOT_APPLICABLE;
    const breaker = block(service.attributes.deployment_circuit_breaker);
    return problems(
      !(breaker && isTrue(breaker.enable) && isTrue(breaker.rollback)) &&
        `${invariantPrefix(stack.environment, 'deploymentCircuitBreaker')}: deployment_circuit_breaker is not enabled with rollback`,
    );
  },
});
