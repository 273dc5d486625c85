/** Builders shared by the secrets tests: platforms with secrets, fresh stacks, policy readers. */
import { readJsonDocument } from '../../helpers/json-document';
import { Testing } from 'cdktf';
import { validatePlatform, type Platform } from '../../../environments/load';
import dev from '../../../environments/dev/config';
import staging from '../../../environments/staging/config';
import prod from '../../../environments/prod/config';
import shared from '../../../environments/shared/config';
import type { NetworkExports } from '../../../stacks/contracts';
import { LayerStack } from '../../../stacks/layer-stack';

export const SAR_POSTGRES_SINGLE_USER = {
  applicationId: 'arn:aws:serverlessrepo:us-east-1:297356227824:applications/SecretsManagerRDSPostgreSQLRotationSingleUser',
  semanticVersion: '1.1.367',
  databasePort: 5432,
};
export const DEV_API_EXECUTION = 'arn:aws:iam::510987654321:role/dev-api-execution';
export const PROD_API_EXECUTION = 'arn:aws:iam::710987654321:role/prod-api-execution';
/** The prod api reads the shared GitHub App key at run time: its task role is the reader. */
export const PROD_API_TASK = 'arn:aws:iam::710987654321:role/prod-api-task';

/** A secrets section per environment that exercises every feature (dev's names match what its services list). */
export const EXAMPLE_SECRETS: Record<string, unknown[]> = {
  dev: [
    {
      name: 'api/db-password',
      description: 'Credentials of the api database user',
      readers: ['api'],
      rotation: { intervalDays: 30, mechanism: { serverlessApplication: SAR_POSTGRES_SINGLE_USER } },
      replicaRegion: 'eu-central-1',
    },
    { name: 'api/payments-api-key', description: 'Payment provider key', readers: ['api', DEV_API_EXECUTION], manualRotation: 'payments team rotates it by hand every quarter' },
  ],
  shared: [
    {
      name: 'platform/github-app-key',
      description: 'Private key of the GitHub App',
      readers: [PROD_API_TASK],
      manualRotation: 'platform team regenerates the GitHub App key yearly',
    },
  ],
};

const SHIPPED: Record<string, unknown> = { dev, staging, prod, shared };

/** The shipped configs with `overrides` merged per environment (by top-level field). */
export function configsWith(overrides: Record<string, Record<string, unknown>> = {}): { name: string; value: unknown }[] {
  return Object.entries(SHIPPED).map(([name, value]) => ({ name, value: { ...(value as object), ...(overrides[name] ?? {}) } }));
}

/** A validated platform whose environments carry the given secrets sections. */
export function platformWithSecrets(secrets: Record<string, unknown[]> = EXAMPLE_SECRETS): Platform {
  return validatePlatform(configsWith(Object.fromEntries(Object.entries(secrets).map(([env, list]) => [env, { secrets: list }]))));
}

/** Validates `secrets` as dev's section and returns the error message (or '' when valid). */
export function devSecretsError(secrets: unknown[]): string {
  try {
    validatePlatform(configsWith({ dev: { secrets } }));
    return '';
  } catch (error) {
    return (error as Error).message;
  }
}

/** Stand-in network exports (literal ids, as the network stack's outputs would resolve). */
export const FAKE_NETWORK: NetworkExports = {
  vpcId: 'vpc-0a1b2c3d',
  vpcCidr: '10.10.0.0/16',
  publicSubnetIds: ['subnet-public-a', 'subnet-public-b'],
  appSubnetIds: ['subnet-app-a', 'subnet-app-b'],
  dataSubnetIds: ['subnet-data-a', 'subnet-data-b'],
  securityGroupIds: { alb: 'sg-alb', app: 'sg-app', data: 'sg-data', endpoints: 'sg-endpoints' },
};

/** A fresh empty stack of `environment` on `platform`. */
export function emptyStack(platform: Platform, environment = 'dev'): LayerStack {
  return new LayerStack(Testing.app(), { platform, environment: platform.environment(environment), layer: 'test' });
}

export interface Statement {
  Sid: string;
  Effect: string;
  Principal: unknown;
  Action: string | string[];
  Resource?: unknown;
  Condition?: Record<string, Record<string, string | string[]>>;
}

/** Statements of a policy JSON string, by Sid. */
export function statementsOf(policy: string): Record<string, Statement> {
  return Object.fromEntries((readJsonDocument(policy).Statement as Statement[]).map((statement) => [statement.Sid, statement]));
}
