/** Stand-ins for the other layers' exports in the container platform tests. */
import type { NetworkExports, SecretsExports } from '../../../stacks/contracts';

export const FAKE_NETWORK: NetworkExports = {
  vpcId: 'vpc-0123456789abcdef0',
  vpcCidr: '10.10.0.0/16',
  publicSubnetIds: ['subnet-public-a', 'subnet-public-b'],
  appSubnetIds: ['subnet-app-a', 'subnet-app-b'],
  dataSubnetIds: ['subnet-data-a', 'subnet-data-b'],
  securityGroupIds: { alb: 'sg-alb', app: 'sg-app', data: 'sg-data', endpoints: 'sg-endpoints' },
};

export const SECRETS_KEY_ARN = 'arn:aws:kms:eu-west-1:510987654321:key/11111111-2222-3333-4444-555555555555';

/** Secrets exports holding the given short names (ARNs in the environment's account). */
export function fakeSecrets(env: string, accountId: string, names: readonly string[]): SecretsExports {
  return {
    kmsKeyArn: SECRETS_KEY_ARN,
    secrets: Object.fromEntries(
      names.map((name) => [
        name,
        { name, secretName: `/${env}/${name}`, arn: `arn:aws:secretsmanager:eu-west-1:${accountId}:secret:/${env}/${name}-AbCdEf`, kmsKeyArn: SECRETS_KEY_ARN },
      ]),
    ),
  };
}

/** Secrets exports holding every secret the environment config declares. */
export function fakeSecretsOf(env: { name: string; accountId: string; secrets: readonly { name: string }[] }): SecretsExports {
  return fakeSecrets(env.name, env.accountId, env.secrets.map((secret) => secret.name));
}
