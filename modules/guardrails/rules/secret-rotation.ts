import { defineRule, everyTier, problems } from '../rule';

export const secretRotation = defineRule({
  id: 'PLAT-SM-2',
  name: 'secret-rotation',
  info: 'Secrets Manager secrets rotate.',
  explanation: 'A secret that never changes stays valid for whoever copied it once. Secrets set out of band (a third-party API key) are suppressed with the reason and the owner of the manual rotation.',
  fix: 'Add an aws_secretsmanager_secret_rotation with secret_id = the secret and rotation_rules, or suppress PLAT-SM-2 on the secret with the reason it is rotated out of band.',
  level: everyTier('error'),
  resourceTypes: ['aws_secretsmanager_secret'],
  evaluate(secret, { stack }) {
    return problems(stack.referencing('aws_secretsmanager_secret_rotation', 'secret_id', secret, ['name', 'arn']).length === 0 && 'has no aws_secretsmanager_secret_rotation');
  },
});
