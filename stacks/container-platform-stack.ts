import type { Construct } from 'constructs';
import { TerraformOutput } from 'cdktf';
import { LayerStack } from './layer-stack';
import type { EnvironmentStackProps } from './stack-props';
import type { NetworkExports, SecretsExports } from './contracts';
import { forTier } from '../modules/core/tier';
import { albLogBucketName, alertTopicArn, ARCHIVE_PREFIXES, registryHost, secretArnPattern, secretPartialArn } from '../modules/core/shared-names';
import { RollOnRotation } from '../modules/containers/roll-on-rotation';
import { serviceSecretRefs } from '../modules/containers/config-schema';
import { PLATFORM_ENV_VARIABLE } from '../modules/containers/defaults';
import type { InjectedSecret, SecretReplicaAccess } from '../modules/containers/fargate-service';
import type { ReadableSecret } from '../modules/secrets/read-policy';
import { secretFullName } from '../modules/secrets/config-schema';
import {
  ALB_DELETION_PROTECTION,
  CAPACITY_STRATEGY,
  ContainerCluster,
  DEPLOYMENT_PERCENT,
  DEREGISTRATION_DELAY_SECONDS,
  Ec2Capacity,
  EC2_CAPACITY,
  FargateService,
  imageUri,
  LOG_RETENTION_DAYS,
  LogEncryptionKey,
  parseImageRef,
  PublicLoadBalancer,
  repositoryArn,
  serviceCounts,
  WAF_RATE_LIMIT_PER_FIVE_MINUTES,
  WebAcl,
  type ServiceConfig,
} from '../modules/containers';

export interface ContainerPlatformStackProps extends EnvironmentStackProps {
  /** The environment's network (`NetworkStack.exports`): subnets and the `alb` and `app` security groups. */
  readonly network: NetworkExports;
  /** The environment's secrets (`SecretsStack.exports`): what the services' `secrets` resolve to. */
  readonly secrets: SecretsExports;
}

/**
 * <env>-platform: the ECS cluster (Fargate and Fargate Spot, optional EC2 capacity), the
 * internet-facing ALB with its WAF, and the services of the environment config.
 */
export class ContainerPlatformStack extends LayerStack {
  readonly cluster: ContainerCluster;
  readonly loadBalancer?: PublicLoadBalancer;
  readonly webAcl?: WebAcl;
  readonly ec2Capacity?: Ec2Capacity;
  /** New deployments after rotations (services that inject a rotated secret). */
  rollOnRotation?: RollOnRotation;
  /** Services by name. */
  readonly services: Readonly<Record<string, FargateService>>;

  constructor(scope: Construct, props: ContainerPlatformStackProps) {
    const env = props.environment;
    if (env.organization) {
      throw new Error(`ContainerPlatformStack: environment "${env.name}" declares the organization and runs no container platform; create it for workload environments only`);
    }
    const config = env.services;
    if (config.list.length > 0 && !config.ingress) {
      throw new Error(`ContainerPlatformStack ${env.name}-platform: services.ingress is missing but the environment has services; give services.ingress.certificateArn`);
    }
    super(scope, { platform: props.platform, environment: env, layer: 'platform' });
    const name = `${env.name}-platform`;
    const retentionDays = forTier(LOG_RETENTION_DAYS, env.tier);

    const logsKey = new LogEncryptionKey(this, 'logs_key', { aliasName: `alias/${name}-logs`, accountId: env.accountId, region: env.region });

    const ec2 = config.cluster.ec2;
    if (ec2) {
      this.ec2Capacity = new Ec2Capacity(this, 'ec2_capacity', {
        name: `${name}-ec2`,
        clusterName: name,
        accountId: env.accountId,
        region: env.region,
        instanceType: ec2.instanceType,
        minSize: ec2.minSize,
        maxSize: ec2.maxSize,
        targetCapacityPercent: ec2.targetCapacityPercent ?? EC2_CAPACITY.targetCapacityPercent,
        rootVolumeSizeGiB: ec2.rootVolumeSizeGiB ?? EC2_CAPACITY.rootVolumeSizeGiB,
        subnetIds: props.network.appSubnetIds,
        securityGroupIds: [props.network.securityGroupIds.app],
        alarmTopicArns: [alertTopicArn(env, 'critical')],
      });
    }
    this.cluster = new ContainerCluster(this, 'cluster', {
      clusterName: name,
      defaultStrategy: forTier(CAPACITY_STRATEGY, env.tier),
      ec2CapacityProviderNames: this.ec2Capacity ? [this.ec2Capacity.capacityProviderName] : [],
      execCommand: config.cluster.execCommand,
      execKmsKeyArn: logsKey.keyArn,
      execLogRetentionDays: retentionDays,
    });

    const ingress = config.ingress;
    if (ingress) {
      this.loadBalancer = new PublicLoadBalancer(this, 'load_balancer', {
        name,
        subnetIds: props.network.publicSubnetIds,
        securityGroupIds: [props.network.securityGroupIds.alb],
        certificateArn: ingress.certificateArn,
        accessLogsBucket: albLogBucketName(this.organization),
        accessLogsPrefix: ARCHIVE_PREFIXES.albAccessLogs(env.name),
        deletionProtection: forTier(ALB_DELETION_PROTECTION, env.tier),
        idleTimeoutSeconds: ingress.idleTimeoutSeconds,
      });
      this.webAcl = new WebAcl(this, 'web_acl', {
        name,
        resourceArn: this.loadBalancer.loadBalancer.arn,
        rateLimitPerFiveMinutes: ingress.rateLimitPerFiveMinutes ?? forTier(WAF_RATE_LIMIT_PER_FIVE_MINUTES, env.tier),
        accountId: env.accountId,
        region: env.region,
        logRetentionDays: retentionDays,
        logKmsKeyArn: logsKey.keyArn,
      });
      new TerraformOutput(this, 'load_balancer_dns_name', {
        staticId: true,
        value: this.loadBalancer.loadBalancer.dnsName,
        description: 'DNS name of the ALB: point the service hosts at it (alias record)',
      });
    }

    const services: Record<string, FargateService> = {};
    for (const service of config.list) services[service.name] = this.addService(service, props, logsKey.keyArn, retentionDays);
    this.services = services;
  }

  private addService(service: ServiceConfig, props: ContainerPlatformStackProps, logKmsKeyArn: string, logRetentionDays: number): FargateService {
    const env = this.environment;
    const where = `ContainerPlatformStack ${env.name}-platform: services.${service.name}`;
    const image = parseImageRef(service.image);
    if (!image.ok) throw new Error(`${where}.image "${service.image}" ${image.problem}`);
    const secrets: Record<string, InjectedSecret> = {};
    const secretKeys = new Set<string>();
    const secretReplicas: SecretReplicaAccess[] = [];
    const environment: Record<string, string> = { ...service.environment, [PLATFORM_ENV_VARIABLE]: env.name };
    const runtimeSecrets: ReadableSecret[] = [];
    const rotating: string[] = [];
    for (const ref of serviceSecretRefs(env.name, service)) {
      if (ref.environment !== env.name) {
        // Another account's secret: known by name (its ARN suffix is random), read by the task role at run time.
        const owner = this.platform.environment(ref.environment);
        const fullName = secretFullName(owner.name, ref.secret);
        environment[ref.variable] = secretPartialArn(owner, fullName);
        runtimeSecrets.push({ arn: secretArnPattern(owner, fullName), kmsKeyArn: `arn:aws:kms:${owner.region}:${owner.accountId}:key/*` });
        continue;
      }
      const handle = props.secrets.secrets[ref.secret];
      if (!handle) {
        throw new Error(`${where}.secrets.${ref.variable} names "${ref.secret}", which SecretsStack.exports does not hold (known: ${Object.keys(props.secrets.secrets).join(', ') || 'none'}); declare it in the secrets section`);
      }
      if (ref.read === 'run-time') {
        environment[ref.variable] = handle.arn;
        runtimeSecrets.push({ arn: handle.arn, kmsKeyArn: handle.kmsKeyArn });
        continue;
      }
      secrets[ref.variable] = { arn: handle.arn, jsonKey: ref.jsonKey };
      secretKeys.add(handle.kmsKeyArn);
      if (handle.replica) {
        secretReplicas.push({
          region: handle.replica.region,
          secretArnPattern: secretArnPattern({ region: handle.replica.region, accountId: env.accountId }, handle.secretName),
          kmsKeyArn: handle.replica.kmsKeyArn,
        });
      }
      if ((env.secrets ?? []).find((secret) => secret.name === ref.secret)?.rotation) rotating.push(`${secretPartialArn(env, handle.secretName)}-`);
    }
    if (rotating.length > 0) {
      this.rollOnRotation ??= new RollOnRotation(this, 'roll_on_rotation', { name: `${env.name}-platform`, accountId: env.accountId, region: env.region, clusterName: this.cluster.clusterName });
      this.rollOnRotation.addService(service.name, rotating);
    }
    const counts = serviceCounts(env, service);
    const ec2 = service.capacity === 'ec2';
    if (ec2 && !this.ec2Capacity) throw new Error(`${where}.capacity is ec2 but services.cluster.ec2 is not configured`);
    const deployment = forTier(DEPLOYMENT_PERCENT, env.tier);
    const registryRegion = this.platform.shared.region;
    return new FargateService(this, `service_${service.name}`, {
      environmentName: env.name,
      serviceName: service.name,
      accountId: env.accountId,
      region: env.region,
      clusterArn: this.cluster.clusterArn,
      clusterName: this.cluster.clusterName,
      image: imageUri(registryHost(this.organization, registryRegion), image.image),
      repositoryArn: repositoryArn(this.platform, image.image.repository),
      cpu: service.cpu,
      memory: service.memory,
      port: service.port,
      environment,
      secrets,
      secretsKmsKeyArns: [...secretKeys],
      secretReplicas,
      runtimeSecrets,
      logRetentionDays,
      logKmsKeyArn,
      vpcId: props.network.vpcId,
      subnetIds: props.network.appSubnetIds,
      securityGroupIds: [props.network.securityGroupIds.app],
      listenerArn: this.loadBalancer!.httpsListener.arn,
      loadBalancerArnSuffix: this.loadBalancer!.loadBalancer.arnSuffix,
      routePriority: service.route.priority,
      routePaths: service.route.paths,
      routeHosts: service.route.hosts,
      healthCheckPath: service.healthCheckPath,
      healthCheckGracePeriodSeconds: service.healthCheckGracePeriodSeconds,
      deregistrationDelaySeconds: forTier(DEREGISTRATION_DELAY_SECONDS, env.tier),
      desiredCount: counts.desired,
      minCount: counts.min,
      maxCount: counts.max,
      cpuTargetPercent: service.autoscaling.cpuTargetPercent,
      requestsPerTarget: service.autoscaling.requestsPerTarget,
      capacityStrategy: ec2 ? [{ capacityProvider: this.ec2Capacity!.capacityProviderName, base: 0, weight: 1 }] : forTier(CAPACITY_STRATEGY, env.tier),
      ec2Compatible: ec2,
      minimumHealthyPercent: deployment.minimumHealthyPercent,
      maximumPercent: deployment.maximumPercent,
      execCommand: this.cluster.execLogGroup ? { logGroupArn: this.cluster.execLogGroup.arn, kmsKeyArn: logKmsKeyArn } : undefined,
      dependsOn: [this.cluster.capacityProviders],
    });
  }
}
