import { Construct } from 'constructs';
import { Fn } from 'cdktf';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { IamInstanceProfile } from '@cdktf/provider-aws/lib/iam-instance-profile';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { AutoscalingGroup } from '@cdktf/provider-aws/lib/autoscaling-group';
import { EcsCapacityProvider } from '@cdktf/provider-aws/lib/ecs-capacity-provider';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { serviceTrustPolicy } from '../core/iam';
import { EC2_CAPACITY } from './defaults';
import { CustomerManagedKey, KEY_USE_ACTIONS } from '../core/customer-managed-key';

/** AWS managed policies of a container instance: the ECS agent and SSM Session Manager (instead of SSH). */
export const CONTAINER_INSTANCE_MANAGED_POLICIES = {
  ecs: 'arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role',
  ssm: 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore',
} as const;

export interface Ec2CapacityProps {
  /** Name prefix of every resource, `dev-platform-ec2`. */
  readonly name: string;
  /** The ECS cluster the instances join (a literal name: it goes into the user data). */
  readonly clusterName: string;
  readonly accountId: string;
  /** Region of the instances and their volume key. */
  readonly region: string;
  /** EC2 instance type, `m7i.large`. */
  readonly instanceType: string;
  readonly minSize: number;
  readonly maxSize: number;
  /** Subnets of the instances (the app subnets). */
  readonly subnetIds: readonly string[];
  /** Security groups of the instances (no SSH: access is through SSM). */
  readonly securityGroupIds: readonly string[];
  /** SNS topics notified when an instance fails its status checks. */
  readonly alarmTopicArns: readonly string[];
  /** Managed scaling target utilization. @default EC2_CAPACITY.targetCapacityPercent */
  readonly targetCapacityPercent?: number;
  /** Root volume size (encrypted gp3). @default EC2_CAPACITY.rootVolumeSizeGiB */
  readonly rootVolumeSizeGiB?: number;
  /** AMI id or `resolve:ssm:` parameter. @default EC2_CAPACITY.amiParameter (ECS-optimized AL2023) */
  readonly imageId?: string;
}

/**
 * EC2 capacity for an ECS cluster: a launch template (IMDSv2 only, encrypted EBS with its own
 * key, SSM instead of SSH, automatic recovery), an auto scaling group whose instances are
 * replaced when they fail their status checks, a capacity provider with managed scaling, and
 * status-check alarms that notify the alert topics.
 *
 * Recovery: the EC2 `recover`/`reboot` alarm actions only work on an alarm of one instance id,
 * which an auto scaling group does not have at synth time; system failures are recovered by the
 * launch template's `auto_recovery`, instance failures by the group's EC2 health check.
 */
export class Ec2Capacity extends Construct {
  readonly autoScalingGroup: AutoscalingGroup;
  readonly capacityProvider: EcsCapacityProvider;
  /** Name of the capacity provider, for strategies. */
  readonly capacityProviderName: string;
  readonly instanceRole: IamRole;

  constructor(scope: Construct, id: string, props: Ec2CapacityProps) {
    super(scope, id);
    if (props.minSize < 0 || props.maxSize < 1 || props.minSize > props.maxSize) {
      throw new Error(`Ec2Capacity needs 0 <= minSize <= maxSize and maxSize >= 1 (got minSize ${props.minSize}, maxSize ${props.maxSize})`);
    }
    if (props.subnetIds.length === 0) throw new Error('Ec2Capacity subnetIds is empty; pass the app subnets');
    if (props.alarmTopicArns.length === 0) throw new Error('Ec2Capacity alarmTopicArns is empty; pass the alert topics that hear about failed status checks');

    this.instanceRole = new IamRole(this, 'instance_role', {
      name: `${props.name}-instance`,
      assumeRolePolicy: serviceTrustPolicy('ec2.amazonaws.com'),
    });
    for (const [key, policyArn] of Object.entries(CONTAINER_INSTANCE_MANAGED_POLICIES)) {
      new IamRolePolicyAttachment(this, `instance_role_${key}`, { role: this.instanceRole.name, policyArn });
    }
    const profile = new IamInstanceProfile(this, 'instance_profile', { name: `${props.name}-instance`, role: this.instanceRole.name });

    const asgRole = `arn:aws:iam::${props.accountId}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`;
    const volumeKey = new CustomerManagedKey(this, 'volume_key', {
      description: `Encrypts the EBS volumes of ${props.name}`,
      aliasName: `alias/${props.name}-volumes`,
      accountId: props.accountId,
      region: props.region,
      statements: [
        { Sid: 'AutoScalingUsesKey', Effect: 'Allow', Principal: { AWS: asgRole }, Action: KEY_USE_ACTIONS, Resource: '*' },
        {
          Sid: 'AutoScalingAttachesVolumes',
          Effect: 'Allow',
          Principal: { AWS: asgRole },
          Action: 'kms:CreateGrant',
          Resource: '*',
          Condition: { Bool: { 'kms:GrantIsForAWSResource': true } },
        },
      ],
    }).key;

    const template = new LaunchTemplate(this, 'launch_template', {
      name: props.name,
      imageId: props.imageId ?? EC2_CAPACITY.amiParameter,
      instanceType: props.instanceType,
      iamInstanceProfile: { arn: profile.arn },
      vpcSecurityGroupIds: [...props.securityGroupIds],
      metadataOptions: {
        httpEndpoint: 'enabled',
        httpTokens: 'required',
        httpPutResponseHopLimit: EC2_CAPACITY.metadataHopLimit,
        instanceMetadataTags: 'disabled',
      },
      maintenanceOptions: { autoRecovery: 'default' },
      monitoring: { enabled: true },
      blockDeviceMappings: [
        {
          deviceName: EC2_CAPACITY.rootDeviceName,
          ebs: {
            encrypted: 'true',
            kmsKeyId: volumeKey.arn,
            volumeType: 'gp3',
            volumeSize: props.rootVolumeSizeGiB ?? EC2_CAPACITY.rootVolumeSizeGiB,
            deleteOnTermination: 'true',
          },
        },
      ],
      userData: Fn.base64encode(`#!/bin/bash\necho ECS_CLUSTER=${props.clusterName} >> /etc/ecs/ecs.config\necho ECS_ENABLE_TASK_IAM_ROLE=true >> /etc/ecs/ecs.config\n`),
      updateDefaultVersion: true,
    });

    this.autoScalingGroup = new AutoscalingGroup(this, 'auto_scaling_group', {
      name: props.name,
      minSize: props.minSize,
      maxSize: props.maxSize,
      vpcZoneIdentifier: [...props.subnetIds],
      launchTemplate: { name: template.name, version: '$Latest' },
      healthCheckType: 'EC2',
      protectFromScaleIn: true,
      defaultInstanceWarmup: EC2_CAPACITY.instanceWarmupSeconds,
      tag: [{ key: 'AmazonECSManaged', value: 'true', propagateAtLaunch: true }],
      lifecycle: { ignoreChanges: ['desired_capacity'] },
    });

    this.capacityProvider = new EcsCapacityProvider(this, 'capacity_provider', {
      name: props.name,
      autoScalingGroupProvider: {
        autoScalingGroupArn: this.autoScalingGroup.arn,
        managedTerminationProtection: 'ENABLED',
        managedScaling: { status: 'ENABLED', targetCapacity: props.targetCapacityPercent ?? EC2_CAPACITY.targetCapacityPercent },
      },
    });
    this.capacityProviderName = this.capacityProvider.name;

    const checks = [
      { id: 'system_status_alarm', metricName: 'StatusCheckFailed_System', what: 'the AWS host (recovered by auto_recovery)' },
      { id: 'instance_status_alarm', metricName: 'StatusCheckFailed_Instance', what: 'the instance (replaced by the group health check)' },
    ];
    for (const check of checks) {
      new CloudwatchMetricAlarm(this, check.id, {
        alarmName: `${props.name}-${check.metricName}`,
        alarmDescription: `An instance of ${props.name} fails its ${check.metricName} check: ${check.what}`,
        namespace: 'AWS/EC2',
        metricName: check.metricName,
        dimensions: { AutoScalingGroupName: this.autoScalingGroup.name },
        statistic: 'Maximum',
        period: EC2_CAPACITY.statusCheckPeriodSeconds,
        evaluationPeriods: EC2_CAPACITY.statusCheckEvaluationPeriods,
        threshold: 1,
        comparisonOperator: 'GreaterThanOrEqualToThreshold',
        treatMissingData: 'notBreaching',
        alarmActions: [...props.alarmTopicArns],
        okActions: [...props.alarmTopicArns],
      });
    }
  }
}
