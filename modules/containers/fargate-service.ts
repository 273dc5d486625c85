import { Construct } from 'constructs';
import type { ITerraformDependable } from 'cdktf';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { EcsTaskDefinition } from '@cdktf/provider-aws/lib/ecs-task-definition';
import { EcsService } from '@cdktf/provider-aws/lib/ecs-service';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group';
import { LbListenerRule, type LbListenerRuleCondition } from '@cdktf/provider-aws/lib/lb-listener-rule';
import { AppautoscalingTarget } from '@cdktf/provider-aws/lib/appautoscaling-target';
import { AppautoscalingPolicy } from '@cdktf/provider-aws/lib/appautoscaling-policy';
import { policyDocument, type PolicyStatement } from '../core/iam';
import { secretsReadPolicy, type ReadableSecret } from '../secrets/read-policy';
import { terraformJson } from '../core/terraform-json';
import { roleArn, serviceExecutionRoleName, serviceTaskRoleName } from '../core/shared-names';
import {
  AUTOSCALING,
  CONTAINER_PORT_RANGE,
  CONTAINER_USER,
  HEALTH_CHECK,
  LISTENER_PRIORITY_RANGE,
  MAX_ROUTE_VALUES,
  SCRATCH_VOLUME,
  type CapacityStrategyItem,
} from './defaults';
import { fargateCpuProblem, fargateMemoryProblem } from './private/fargate-sizes';

/** Actions the execution role needs to pull an image of the registry (the token is account-wide). */
const ECR_IMAGE_PULL_ACTIONS = ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'];
/** Actions a task needs for ECS Exec sessions (SSM message channels). */
const EXEC_CHANNEL_ACTIONS = ['ssmmessages:CreateControlChannel', 'ssmmessages:CreateDataChannel', 'ssmmessages:OpenControlChannel', 'ssmmessages:OpenDataChannel'];

/** A secret ECS injects at task start. */
export interface InjectedSecret {
  /** Full secret ARN. */
  readonly arn: string;
  /** Key of the JSON value to inject (`valueFrom` `<arn>:<key>::`). @default - the whole value */
  readonly jsonKey?: string;
}

/** ECS Exec settings of a service whose cluster allows it. */
export interface ServiceExecCommand {
  /** The cluster's Exec session log group ARN. */
  readonly logGroupArn: string;
  /** The key Exec sessions and their logs are encrypted with. */
  readonly kmsKeyArn: string;
}

/** A replica of an injected secret in a disaster-recovery region. */
export interface SecretReplicaAccess {
  readonly region: string;
  /** The replica's ARN with its random suffix as a wildcard (`...:secret:/prod/api/db-password-??????`). */
  readonly secretArnPattern: string;
  /** The replica key of that region. */
  readonly kmsKeyArn: string;
}

export interface FargateServiceProps {
  /** Environment name: prefixes the role, family, target group and log group names. */
  readonly environmentName: string;
  /** Service name, `api`. */
  readonly serviceName: string;
  readonly accountId: string;
  readonly region: string;
  readonly clusterArn: string;
  readonly clusterName: string;
  /** Full image URI, pinned by tag or digest (`<registry>/api:1.4.2`). */
  readonly image: string;
  /** ARN of the ECR repository the image is pulled from. */
  readonly repositoryArn: string;
  /** Task CPU units (a Fargate size). */
  readonly cpu: number;
  /** Task memory, MiB (a Fargate size for `cpu`). */
  readonly memory: number;
  /** Port the container listens on. */
  readonly port: number;
  /** Plain environment variables. @default - none */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * Container env var -> secret ARN, or `<arn>:<json-key>::` for one key of a JSON value;
   * delivered through the task definition's `secrets` (execution role) at task start.
   * @default - none
   */
  readonly secrets?: Readonly<Record<string, string | InjectedSecret>>;
  /** KMS keys of those secrets (the execution role may decrypt with them). @default - none */
  readonly secretsKmsKeyArns?: readonly string[];
  /**
   * Replicas of the injected secrets in disaster-recovery regions. The execution role may read and
   * decrypt them there (IAM is global), so a failover deployment in that region reuses the role.
   * @default - none
   */
  readonly secretReplicas?: readonly SecretReplicaAccess[];
  /**
   * Secrets the application reads at run time with the SDK: the task role may read exactly these
   * (`secretsReadPolicy`). Their ARNs reach the container through `environment`.
   * @default - none
   */
  readonly runtimeSecrets?: readonly ReadableSecret[];
  /** Retention of the service log group. */
  readonly logRetentionDays: number;
  /** KMS key of the service log group. */
  readonly logKmsKeyArn: string;
  readonly vpcId: string;
  /** Subnets of the tasks (the app subnets). */
  readonly subnetIds: readonly string[];
  /** Security groups of the tasks (the `app` group). */
  readonly securityGroupIds: readonly string[];
  /** The HTTPS listener the route is added to. */
  readonly listenerArn: string;
  /** `arn_suffix` of the load balancer (request-count scaling label). */
  readonly loadBalancerArnSuffix: string;
  /** Listener rule priority, unique on the listener. */
  readonly routePriority: number;
  /** Path patterns of the route. @default - none (hosts only) */
  readonly routePaths?: readonly string[];
  /** Host headers of the route. @default - none (paths only) */
  readonly routeHosts?: readonly string[];
  /** Health check path. @default HEALTH_CHECK.path */
  readonly healthCheckPath?: string;
  /** Seconds health checks are ignored after a task starts. @default HEALTH_CHECK.gracePeriodSeconds */
  readonly healthCheckGracePeriodSeconds?: number;
  /** Target draining time. */
  readonly deregistrationDelaySeconds: number;
  readonly desiredCount: number;
  readonly minCount: number;
  readonly maxCount: number;
  /** CPU target of the scaling policy. @default AUTOSCALING.cpuTargetPercent */
  readonly cpuTargetPercent?: number;
  /** Requests per task target of the scaling policy. @default AUTOSCALING.requestsPerTarget */
  readonly requestsPerTarget?: number;
  /** Capacity provider strategy of the service. */
  readonly capacityStrategy: readonly CapacityStrategyItem[];
  /** Also compatible with EC2 capacity (awsvpc on container instances). @default false */
  readonly ec2Compatible?: boolean;
  /** Deployment lower bound, percent of desired. */
  readonly minimumHealthyPercent: number;
  /** Deployment upper bound, percent of desired. */
  readonly maximumPercent: number;
  /** ECS Exec into the tasks. @default - off */
  readonly execCommand?: ServiceExecCommand;
  /** Resources the ECS service waits for (the cluster's capacity providers). @default - none */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/**
 * One container service behind the ALB: its log group, an execution role (pull its image, write
 * its log group, read exactly its own secrets), a task role, a hardened task definition
 * (awsvpc, not privileged, read-only root, non-root user), a target group and listener rule,
 * the ECS service (app subnets, no public IP, circuit breaker with rollback) and target
 * tracking autoscaling on CPU and ALB requests per target.
 */
export class FargateService extends Construct {
  readonly service: EcsService;
  readonly taskDefinition: EcsTaskDefinition;
  readonly targetGroup: LbTargetGroup;
  readonly logGroup: CloudwatchLogGroup;
  readonly executionRole: IamRole;
  readonly taskRole: IamRole;

  constructor(scope: Construct, id: string, props: FargateServiceProps) {
    super(scope, id);
    validateProps(props);
    const name = props.serviceName;
    const qualified = `${props.environmentName}-${name}`;
    const secrets = Object.entries(props.secrets ?? {})
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([variable, secret]): [string, InjectedSecret] => [variable, typeof secret === 'string' ? { arn: secret } : secret]);

    this.logGroup = new CloudwatchLogGroup(this, 'log_group', {
      name: `/ecs/${props.environmentName}/${name}`,
      retentionInDays: props.logRetentionDays,
      kmsKeyId: props.logKmsKeyArn,
    });

    const trust = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: 'ecs-tasks.amazonaws.com' },
          Action: 'sts:AssumeRole',
          Condition: {
            StringEquals: { 'aws:SourceAccount': props.accountId },
            ArnLike: { 'aws:SourceArn': `arn:aws:ecs:${props.region}:${props.accountId}:*` },
          },
        },
      ],
    });
    this.executionRole = new IamRole(this, 'execution_role', {
      name: serviceExecutionRoleName(props.environmentName, name),
      description: `Starts the tasks of ${qualified}: pulls the image, writes logs, reads its secrets`,
      assumeRolePolicy: trust,
    });
    const execution: PolicyStatement[] = [
      { Sid: 'RegistryToken', Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
      { Sid: 'PullImage', Effect: 'Allow', Action: ECR_IMAGE_PULL_ACTIONS, Resource: props.repositoryArn },
      { Sid: 'WriteLogs', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: `${this.logGroup.arn}:*` },
    ];
    if (secrets.length > 0) {
      execution.push({ Sid: 'ReadOwnSecrets', Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: [...new Set(secrets.map(([, secret]) => secret.arn))] });
      const keys = [...new Set(props.secretsKmsKeyArns ?? [])];
      if (keys.length > 0) {
        execution.push({
          Sid: 'DecryptOwnSecrets',
          Effect: 'Allow',
          Action: 'kms:Decrypt',
          Resource: keys,
          Condition: { StringEquals: { 'kms:ViaService': `secretsmanager.${props.region}.amazonaws.com` } },
        });
      }
      const replicas = props.secretReplicas ?? [];
      if (replicas.length > 0) {
        execution.push({ Sid: 'ReadOwnSecretReplicas', Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: [...new Set(replicas.map((r) => r.secretArnPattern))] });
        execution.push({
          Sid: 'DecryptOwnSecretReplicas',
          Effect: 'Allow',
          Action: 'kms:Decrypt',
          Resource: [...new Set(replicas.map((r) => r.kmsKeyArn))],
          Condition: { StringEquals: { 'kms:ViaService': [...new Set(replicas.map((r) => `secretsmanager.${r.region}.amazonaws.com`))].sort() } },
        });
      }
    }
    const executionPolicy = new IamRolePolicy(this, 'execution_policy', { name: 'task-execution', role: this.executionRole.id, policy: policyDocument(execution) });

    this.taskRole = new IamRole(this, 'task_role', {
      name: serviceTaskRoleName(props.environmentName, name),
      description: `The application role of ${qualified}`,
      assumeRolePolicy: trust,
    });
    const taskPolicies: IamRolePolicy[] = [];
    if (props.runtimeSecrets && props.runtimeSecrets.length > 0) {
      taskPolicies.push(new IamRolePolicy(this, 'task_secrets_policy', { name: 'read-secrets', role: this.taskRole.id, policy: secretsReadPolicy(props.runtimeSecrets, props.region) }));
    }
    if (props.execCommand) {
      new IamRolePolicy(this, 'task_exec_policy', {
        name: 'ecs-exec',
        role: this.taskRole.id,
        policy: policyDocument([
          { Sid: 'ExecChannels', Effect: 'Allow', Action: EXEC_CHANNEL_ACTIONS, Resource: '*' },
          { Sid: 'ExecLogGroups', Effect: 'Allow', Action: 'logs:DescribeLogGroups', Resource: '*' },
          { Sid: 'ExecLogs', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'], Resource: `${props.execCommand.logGroupArn}:*` },
          { Sid: 'ExecDecrypt', Effect: 'Allow', Action: 'kms:Decrypt', Resource: props.execCommand.kmsKeyArn },
        ]),
      });
    }

    const container = {
      name,
      image: props.image,
      essential: true,
      cpu: props.cpu,
      memory: props.memory,
      user: CONTAINER_USER,
      privileged: false,
      readonlyRootFilesystem: true,
      portMappings: [{ containerPort: props.port, protocol: 'tcp' }],
      // Runtimes put temporary files under TMPDIR: point it at the writable scratch volume.
      environment: Object.entries({ TMPDIR: SCRATCH_VOLUME.containerPath, ...props.environment })
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([key, value]) => ({ name: key, value })),
      // valueFrom `<arn>:<json-key>:<version-stage>:<version-id>`, empty parts for AWSCURRENT
      // (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-secrets-manager.html).
      secrets: secrets.map(([key, secret]) => ({ name: key, valueFrom: secret.jsonKey ? `${secret.arn}:${secret.jsonKey}::` : secret.arn })),
      mountPoints: [{ sourceVolume: SCRATCH_VOLUME.name, containerPath: SCRATCH_VOLUME.containerPath, readOnly: false }],
      linuxParameters: { initProcessEnabled: true, capabilities: { drop: ['ALL'] } },
      logConfiguration: {
        logDriver: 'awslogs',
        options: { 'awslogs-group': this.logGroup.name, 'awslogs-region': props.region, 'awslogs-stream-prefix': name },
      },
    };
    // Role ARNs from their names (core/shared-names): known at plan time, the same ARNs the secrets layer grants.
    this.taskDefinition = new EcsTaskDefinition(this, 'task_definition', {
      family: qualified,
      networkMode: 'awsvpc',
      requiresCompatibilities: props.ec2Compatible ? ['EC2', 'FARGATE'] : ['FARGATE'],
      cpu: String(props.cpu),
      memory: String(props.memory),
      executionRoleArn: roleArn(props.accountId, serviceExecutionRoleName(props.environmentName, name)),
      taskRoleArn: roleArn(props.accountId, serviceTaskRoleName(props.environmentName, name)),
      runtimePlatform: { operatingSystemFamily: 'LINUX', cpuArchitecture: 'X86_64' },
      volume: [{ name: SCRATCH_VOLUME.name }],
      containerDefinitions: terraformJson([container]),
      dependsOn: [this.executionRole, executionPolicy, this.taskRole, ...taskPolicies],
    });

    this.targetGroup = new LbTargetGroup(this, 'target_group', {
      name: qualified,
      port: props.port,
      protocol: 'HTTP',
      targetType: 'ip',
      vpcId: props.vpcId,
      deregistrationDelay: String(props.deregistrationDelaySeconds),
      healthCheck: {
        enabled: true,
        path: props.healthCheckPath ?? HEALTH_CHECK.path,
        protocol: 'HTTP',
        port: 'traffic-port',
        matcher: HEALTH_CHECK.matcher,
        interval: HEALTH_CHECK.intervalSeconds,
        timeout: HEALTH_CHECK.timeoutSeconds,
        healthyThreshold: HEALTH_CHECK.healthyThreshold,
        unhealthyThreshold: HEALTH_CHECK.unhealthyThreshold,
      },
    });
    const conditions: LbListenerRuleCondition[] = [];
    if (props.routeHosts?.length) conditions.push({ hostHeader: { values: [...props.routeHosts] } });
    if (props.routePaths?.length) conditions.push({ pathPattern: { values: [...props.routePaths] } });
    const rule = new LbListenerRule(this, 'listener_rule', {
      listenerArn: props.listenerArn,
      priority: props.routePriority,
      action: [{ type: 'forward', targetGroupArn: this.targetGroup.arn }],
      condition: conditions,
    });

    this.service = new EcsService(this, 'Resource', {
      name,
      cluster: props.clusterArn,
      taskDefinition: this.taskDefinition.arn,
      desiredCount: props.desiredCount,
      capacityProviderStrategy: props.capacityStrategy.map((item) => ({ ...item })),
      networkConfiguration: { subnets: [...props.subnetIds], securityGroups: [...props.securityGroupIds], assignPublicIp: false },
      loadBalancer: [{ targetGroupArn: this.targetGroup.arn, containerName: name, containerPort: props.port }],
      healthCheckGracePeriodSeconds: props.healthCheckGracePeriodSeconds ?? HEALTH_CHECK.gracePeriodSeconds,
      deploymentCircuitBreaker: { enable: true, rollback: true },
      deploymentController: { type: 'ECS' },
      deploymentMinimumHealthyPercent: props.minimumHealthyPercent,
      deploymentMaximumPercent: props.maximumPercent,
      enableExecuteCommand: props.execCommand !== undefined,
      enableEcsManagedTags: true,
      propagateTags: 'SERVICE',
      dependsOn: [rule, ...(props.dependsOn ?? [])],
      lifecycle: { ignoreChanges: ['desired_count'] },
    });

    const target = new AppautoscalingTarget(this, 'scaling_target', {
      serviceNamespace: 'ecs',
      scalableDimension: 'ecs:service:DesiredCount',
      resourceId: `service/${props.clusterName}/${this.service.name}`,
      minCapacity: props.minCount,
      maxCapacity: props.maxCount,
    });
    const tracking = (id: string, metric: string, targetValue: number, resourceLabel?: string) =>
      new AppautoscalingPolicy(this, id, {
        name: `${qualified}-${id.replace(/_/g, '-')}`,
        policyType: 'TargetTrackingScaling',
        serviceNamespace: target.serviceNamespace,
        scalableDimension: target.scalableDimension,
        resourceId: target.resourceId,
        targetTrackingScalingPolicyConfiguration: {
          targetValue,
          scaleInCooldown: AUTOSCALING.scaleInCooldownSeconds,
          scaleOutCooldown: AUTOSCALING.scaleOutCooldownSeconds,
          predefinedMetricSpecification: { predefinedMetricType: metric, resourceLabel },
        },
      });
    tracking('scale_on_cpu', 'ECSServiceAverageCPUUtilization', props.cpuTargetPercent ?? AUTOSCALING.cpuTargetPercent);
    tracking(
      'scale_on_requests',
      'ALBRequestCountPerTarget',
      props.requestsPerTarget ?? AUTOSCALING.requestsPerTarget,
      `${props.loadBalancerArnSuffix}/${this.targetGroup.arnSuffix}`,
    );
  }
}

function validateProps(props: FargateServiceProps): void {
  const fail = (message: string): never => {
    throw new Error(`FargateService ${props.serviceName}: ${message}`);
  };
  if (!/^[a-z][a-z0-9-]{0,27}[a-z0-9]$/.test(props.serviceName)) fail(`serviceName must be 2-29 lower-case letters, digits and dashes (got "${props.serviceName}")`);
  const qualified = `${props.environmentName}-${props.serviceName}`;
  if (qualified.length > 32) fail(`"${qualified}" is longer than the 32 characters of a target group name; shorten serviceName`);
  const cpu = fargateCpuProblem(props.cpu);
  if (cpu) fail(`cpu ${props.cpu} ${cpu}`);
  const memory = fargateMemoryProblem(props.cpu, props.memory);
  if (memory) fail(`memory ${props.memory} ${memory}`);
  if (!Number.isInteger(props.port) || props.port < CONTAINER_PORT_RANGE.min || props.port > CONTAINER_PORT_RANGE.max) {
    fail(`port must be ${CONTAINER_PORT_RANGE.min}-${CONTAINER_PORT_RANGE.max} (got ${props.port}); the container runs as a non-root user`);
  }
  if (!(props.minCount <= props.desiredCount && props.desiredCount <= props.maxCount) || props.maxCount < 1) {
    fail(`needs minCount <= desiredCount <= maxCount and maxCount >= 1 (got ${props.minCount}, ${props.desiredCount}, ${props.maxCount})`);
  }
  if (props.routePriority < LISTENER_PRIORITY_RANGE.min || props.routePriority > LISTENER_PRIORITY_RANGE.max) {
    fail(`routePriority must be ${LISTENER_PRIORITY_RANGE.min}-${LISTENER_PRIORITY_RANGE.max} (got ${props.routePriority})`);
  }
  const values = (props.routePaths?.length ?? 0) + (props.routeHosts?.length ?? 0);
  if (values === 0 || values > MAX_ROUTE_VALUES) fail(`routePaths and routeHosts must hold 1-${MAX_ROUTE_VALUES} values together (got ${values})`);
  if (props.capacityStrategy.length === 0) fail('capacityStrategy is empty; pass the tier strategy or the EC2 capacity provider');
  const shared = Object.keys(props.secrets ?? {}).filter((key) => key in (props.environment ?? {}));
  if (shared.length > 0) fail(`${shared.join(', ')} is both a plain variable and a secret; a secret never goes into environment`);
  const empty = Object.entries(props.secrets ?? {}).filter(([, arn]) => !arn);
  if (empty.length > 0) fail(`secret ${empty.map(([key]) => key).join(', ')} has no ARN`);
}
