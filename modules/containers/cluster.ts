import { Construct } from 'constructs';
import { EcsCluster } from '@cdktf/provider-aws/lib/ecs-cluster';
import { EcsClusterCapacityProviders } from '@cdktf/provider-aws/lib/ecs-cluster-capacity-providers';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { FARGATE, FARGATE_SPOT, type CapacityStrategyItem } from './defaults';

export interface ContainerClusterProps {
  /** Cluster name, `dev-platform`. */
  readonly clusterName: string;
  /** Default capacity provider strategy (services that name none use it). */
  readonly defaultStrategy: readonly CapacityStrategyItem[];
  /** EC2 capacity provider names registered besides FARGATE and FARGATE_SPOT. @default - none */
  readonly ec2CapacityProviderNames?: readonly string[];
  /** Allow ECS Exec into tasks; sessions are logged to an encrypted log group. @default false */
  readonly execCommand?: boolean;
  /** KMS key of the ECS Exec log group and session encryption; required with execCommand. @default - none */
  readonly execKmsKeyArn?: string;
  /** Retention of the ECS Exec log group; required with execCommand. @default - none */
  readonly execLogRetentionDays?: number;
}

/**
 * An ECS cluster with Container Insights, the FARGATE and FARGATE_SPOT capacity providers (and
 * any EC2 ones) with a default strategy, and ECS Exec logging when Exec is enabled.
 */
export class ContainerCluster extends Construct {
  readonly cluster: EcsCluster;
  readonly clusterName: string;
  readonly clusterArn: string;
  /** Every capacity provider of the cluster. */
  readonly capacityProviderNames: readonly string[];
  /** The ECS Exec session log group, when Exec is enabled. */
  readonly execLogGroup?: CloudwatchLogGroup;
  /** The capacity provider association: services using a provider depend on it. */
  readonly capacityProviders: EcsClusterCapacityProviders;

  constructor(scope: Construct, id: string, props: ContainerClusterProps) {
    super(scope, id);
    if (props.execCommand && (!props.execKmsKeyArn || props.execLogRetentionDays === undefined)) {
      throw new Error(`ContainerCluster execCommand is true but execKmsKeyArn or execLogRetentionDays is missing (got ${props.execKmsKeyArn ?? 'no key'}, ${props.execLogRetentionDays ?? 'no retention'}); ECS Exec sessions must be logged to an encrypted log group`);
    }
    this.capacityProviderNames = [FARGATE, FARGATE_SPOT, ...(props.ec2CapacityProviderNames ?? [])];
    const unknown = props.defaultStrategy.filter((item) => !this.capacityProviderNames.includes(item.capacityProvider));
    if (props.defaultStrategy.length === 0 || unknown.length > 0) {
      throw new Error(`ContainerCluster defaultStrategy must name registered capacity providers (${this.capacityProviderNames.join(', ')}); got ${JSON.stringify(props.defaultStrategy)}`);
    }

    if (props.execCommand) {
      this.execLogGroup = new CloudwatchLogGroup(this, 'exec_log_group', {
        name: `/ecs/${props.clusterName}/exec`,
        retentionInDays: props.execLogRetentionDays,
        kmsKeyId: props.execKmsKeyArn,
      });
    }
    this.cluster = new EcsCluster(this, 'Resource', {
      name: props.clusterName,
      setting: [{ name: 'containerInsights', value: 'enabled' }],
      configuration: this.execLogGroup
        ? {
            executeCommandConfiguration: {
              kmsKeyId: props.execKmsKeyArn,
              logging: 'OVERRIDE',
              logConfiguration: { cloudWatchLogGroupName: this.execLogGroup.name, cloudWatchEncryptionEnabled: true },
            },
          }
        : undefined,
    });
    this.clusterName = this.cluster.name;
    this.clusterArn = this.cluster.arn;
    this.capacityProviders = new EcsClusterCapacityProviders(this, 'capacity_providers', {
      clusterName: this.cluster.name,
      capacityProviders: [...this.capacityProviderNames],
      defaultCapacityProviderStrategy: props.defaultStrategy.map((item) => ({ ...item })),
    });
  }
}
