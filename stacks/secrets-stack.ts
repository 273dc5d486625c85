import type { Construct } from 'constructs';
import { LayerStack } from './layer-stack';
import type { EnvironmentStackProps } from './stack-props';
import type { NetworkExports, SecretHandle, SecretsExports } from './contracts';
import { DEFAULT_PLAN_ROLE_NAME } from './bootstrap-stack';
import { forTier } from '../modules/core/tier';
import type { EnvironmentConfig } from '../environments/schema';
import { serviceSecretRefs, type ServiceConfig } from '../modules/containers/config-schema';
import { terraformId } from '../modules/core/naming';
import { alertTopicArn, roleArn, serviceExecutionRoleName, serviceTaskRoleName } from '../modules/core/shared-names';
import { suppress } from '../modules/guardrails/suppressions';
import { isRoleArn, rotationStarts, secretFullName, type SecretConfig } from '../modules/secrets/config-schema';
import { LogEncryptionKey } from '../modules/containers/log-encryption-key';
import { observabilitySettings } from '../modules/observability/settings';
import {
  GENERATED_PASSWORD_LENGTH_CHARS,
  KEY_DELETION_WINDOW_DAYS,
  RECOVERY_WINDOW_DAYS,
  ROTATION_FAILURE_SEVERITY,
} from '../modules/secrets/defaults';
import { EphemeralRandomPassword } from '../modules/secrets/ephemeral-random-password';
import { ManagedSecret, type SecretGrant } from '../modules/secrets/managed-secret';
import { RotationFailureAlarm } from '../modules/secrets/rotation-failure-alarm';
import { RotationFunction } from '../modules/secrets/rotation-function';
import { SecretsKey } from '../modules/secrets/secrets-key';

/**
 * The roles of a service that read a secret: the execution role when the service injects it
 * (ECS reads it at task start), the task role when the application reads it at run time.
 */
function serviceReaderRoles(env: EnvironmentConfig, service: ServiceConfig['name'], secretName: string): string[] {
  const config = (env.services?.list ?? []).find((candidate) => candidate.name === service);
  const refs = config ? serviceSecretRefs(env.name, config).filter((ref) => ref.environment === env.name && ref.secret === secretName) : [];
  return [
    ...(refs.some((ref) => ref.read === 'inject') ? [roleArn(env.accountId, serviceExecutionRoleName(env.name, service))] : []),
    ...(refs.some((ref) => ref.read === 'run-time') ? [roleArn(env.accountId, serviceTaskRoleName(env.name, service))] : []),
  ];
}

/** Guardrail rule "secrets rotate" (modules/guardrails/rules/secret-rotation.ts). */
const SECRET_ROTATION_RULE = 'PLAT-SM-2';

export interface SecretsStackProps extends EnvironmentStackProps {
  /**
   * The environment's network (`NetworkStack.exports`): app subnets and security groups of the
   * rotation functions.
   * @default - none; required when a secret rotates with a Serverless Application Repository function
   */
  readonly network?: NetworkExports;
}

/**
 * <env>-secrets: the environment's KMS key for secrets, its Secrets Manager secrets with their
 * resource policies, rotation (functions from the Serverless Application Repository where
 * needed) and the alarm on failed rotations.
 *
 * A reader that names a service gets the service's execution role when the service injects the
 * secret (ECS reads it at task start) and its task role when the application reads it at run
 * time (`read: 'run-time'`); both names come from `modules/core/shared-names.ts`, the container
 * platform creates the roles and attaches the matching identity policies.
 */
export class SecretsStack extends LayerStack {
  /** What the container platform needs: the key and every secret by short name. */
  readonly exports: SecretsExports;
  readonly key: SecretsKey;
  /** Secrets by short name (`api/db-password`). */
  readonly secrets: Readonly<Record<string, ManagedSecret>>;
  /** Every read grant; those with `crossAccount` need `secretsReadPolicy(grant)` in the consumer's account. */
  readonly grants: readonly SecretGrant[];

  constructor(scope: Construct, props: SecretsStackProps) {
    const configs = (props.environment.secrets ?? []) as SecretConfig[];
    const needingNetwork = configs.filter((secret) => rotationStarts(secret) && secret.rotation!.mechanism !== 'aws-managed').map((secret) => secret.name);
    if (needingNetwork.length > 0 && props.network === undefined) {
      throw new Error(
        `SecretsStack ${props.environment.name}-secrets: network is required because ${needingNetwork.join(', ')} rotate with a Serverless Application Repository function ` +
          `that runs in the app subnets; pass network: networkStack.exports`,
      );
    }
    super(scope, { platform: props.platform, environment: props.environment, layer: 'secrets' });
    const env = props.environment;
    const accountRootUser = `arn:aws:iam::${env.accountId}:root`;
    const administrators = [env.deployRoleArn, accountRootUser];
    const planRole = env.planRoleArn ?? roleArn(env.accountId, DEFAULT_PLAN_ROLE_NAME);

    const replicaRegions = [...new Set(configs.flatMap((secret) => (secret.replicaRegion ? [secret.replicaRegion] : [])))].sort();
    this.key = new SecretsKey(this, 'secrets_key', {
      accountId: env.accountId,
      region: env.region,
      aliasName: `alias/${env.name}/secrets`,
      description: `Secrets Manager secrets of ${env.name}`,
      deletionWindowDays: forTier(KEY_DELETION_WINDOW_DAYS, env.tier),
      administratorArns: administrators,
      auditorArns: [planRole],
      replicas: replicaRegions.map((region) => ({ region, provider: this.awsProvider(`aws_${terraformId(region)}`, this.account, region, terraformId(region)) })),
    });

    const secrets: Record<string, ManagedSecret> = {};
    const grants: SecretGrant[] = [];
    let rotating = false;
    let logsKeyArn: string | undefined;
    const rotationLogsKey = () =>
      (logsKeyArn ??= new LogEncryptionKey(this, 'rotation_logs_key', {
        aliasName: `alias/${env.name}-secrets-rotation-logs`,
        purpose: 'the log groups of the secrets rotation functions',
        accountId: env.accountId,
        region: env.region,
        deletionWindowDays: forTier(KEY_DELETION_WINDOW_DAYS, env.tier),
      }).keyArn);
    for (const config of configs) {
      const id = terraformId(config.name);
      const generated = config.generatedValue
        ? new EphemeralRandomPassword(this, `${id}_generated_value`, {
            passwordLengthChars: config.generatedValue.lengthChars ?? GENERATED_PASSWORD_LENGTH_CHARS,
            excludeCharacters: config.generatedValue.excludeCharacters,
          })
        : undefined;
      const secret = new ManagedSecret(this, id, {
        secretName: secretFullName(env.name, config.name),
        description: config.description,
        key: this.key,
        organizationId: this.organization.id,
        administratorArns: [...administrators, planRole],
        valueWriterArn: generated ? env.deployRoleArn : undefined,
        recoveryWindowDays: forTier(RECOVERY_WINDOW_DAYS, env.tier),
        replica: config.replicaRegion ? { region: config.replicaRegion, kmsKeyArn: this.key.replicaKeyArns[config.replicaRegion] } : undefined,
        writeOnlyValue: generated && config.generatedValue ? { value: generated.value, version: config.generatedValue.version } : undefined,
      });
      for (const reader of config.readers) {
        const principals = isRoleArn(reader) ? [reader] : serviceReaderRoles(env, reader, config.name);
        for (const principal of principals) grants.push(secret.grantRead(principal));
      }

      const rotation = config.rotation;
      if (rotation && !rotationStarts(config)) {
        // Secrets Manager tests a new rotation at once; on a secret without a value the test fails and pages.
        suppress(secret, SECRET_ROTATION_RULE, `rotation waits for the value: put it, then set secrets.${config.name}.valueSet: true (first apply stays quiet)`);
      } else if (rotation) {
        rotating = true;
        const mechanism = rotation.mechanism;
        if (mechanism === 'aws-managed') {
          secret.rotate({ intervalDays: rotation.intervalDays });
        } else {
          const network = props.network!;
          const app = mechanism.serverlessApplication;
          const rotationFunction = new RotationFunction(secret, 'rotation_function', {
            functionName: `${env.name}-${id.replace(/_/g, '-')}-rotation`,
            applicationId: app.applicationId,
            semanticVersion: app.semanticVersion,
            accountId: env.accountId,
            region: env.region,
            environmentName: env.name,
            vpcId: network.vpcId,
            subnetIds: network.appSubnetIds,
            endpointSecurityGroupId: network.securityGroupIds.endpoints,
            kmsKeyArn: this.key.keyArn,
            logRetentionDays: observabilitySettings(env).logRetentionDays,
            logKmsKeyArn: rotationLogsKey(),
            databasePort: app.databasePort,
            dataSecurityGroupId: app.databasePort !== undefined ? network.securityGroupIds.data : undefined,
          });
          secret.rotate({ intervalDays: rotation.intervalDays, rotationFunction });
        }
      } else if (config.manualRotation) {
        suppress(secret, SECRET_ROTATION_RULE, `rotated by hand: ${config.manualRotation}`);
      }
      secrets[config.name] = secret;
    }
    this.secrets = secrets;
    this.grants = grants;

    if (rotating) {
      new RotationFailureAlarm(this, 'rotation_failed', {
        ruleName: `${env.name}-secrets-rotation-failed`,
        alertTopicArn: alertTopicArn(env, ROTATION_FAILURE_SEVERITY),
        secretNamePrefix: `/${env.name}/`,
      });
    }

    const handles: Record<string, SecretHandle> = {};
    for (const [name, secret] of Object.entries(secrets)) {
      const replicaRegion = configs.find((config) => config.name === name)?.replicaRegion;
      handles[name] = {
        name,
        secretName: secret.secretName,
        arn: secret.arn,
        kmsKeyArn: secret.kmsKeyArn,
        ...(replicaRegion ? { replica: { region: replicaRegion, kmsKeyArn: this.key.replicaKeyArns[replicaRegion] } } : {}),
      };
    }
    this.exports = { kmsKeyArn: this.key.keyArn, secrets: handles };
  }
}
