/**
 * A new deployment of a service each time a secret it has injected rotates.
 *
 * ECS reads injected secrets only when a task starts, so after a rotation the running tasks keep
 * the old value (with single-user database rotation, the old password stops working). On the
 * Secrets Manager `RotationSucceeded` event (delivered to the default bus through CloudTrail,
 * https://docs.aws.amazon.com/secretsmanager/latest/userguide/monitoring-eventbridge.html), an
 * EventBridge rule per service starts an SSM Automation runbook that calls
 * `ecs:UpdateService` with `forceNewDeployment`: new tasks start with the new value, the old ones
 * drain behind the load balancer, the circuit breaker rolls back a deployment that fails. No
 * Lambda: EventBridge starts the runbook with its own role
 * (https://docs.aws.amazon.com/systems-manager/latest/userguide/automation-cwe-target.html).
 *
 * One runbook and two roles per cluster: `events` (EventBridge may start this runbook and pass
 * the automation role) and `automation` (the runbook may update the services of this cluster).
 */
import { Construct } from 'constructs';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { SsmDocument } from '@cdktf/provider-aws/lib/ssm-document';
import { policyDocument, serviceTrustPolicy } from '../core/iam';
import { roleArn } from '../core/shared-names';
import { terraformJson } from '../core/terraform-json';

/** The Secrets Manager event that means a new value is current. */
export const ROTATION_SUCCEEDED_EVENT = 'RotationSucceeded';

export interface RollOnRotationProps {
  /** Name prefix of the runbook, roles and rules (`prod-platform`). */
  readonly name: string;
  readonly accountId: string;
  readonly region: string;
  /** The cluster whose services are rolled. */
  readonly clusterName: string;
}

export class RollOnRotation extends Construct {
  readonly documentName: string;
  /** ARN EventBridge starts (`automation-definition/<name>:$DEFAULT`). */
  readonly automationDefinitionArn: string;
  readonly eventsRoleArn: string;
  readonly automationRoleArn: string;
  private readonly props: RollOnRotationProps;
  private readonly dependables: Construct[];

  constructor(scope: Construct, id: string, props: RollOnRotationProps) {
    super(scope, id);
    this.props = props;
    const { accountId, region } = props;
    this.documentName = `${props.name}-roll-service`;
    this.automationDefinitionArn = `arn:aws:ssm:${region}:${accountId}:automation-definition/${this.documentName}:$DEFAULT`;
    const automationRoleName = `${props.name}-roll-automation`;
    const eventsRoleName = `${props.name}-roll-events`;
    this.automationRoleArn = roleArn(accountId, automationRoleName);
    this.eventsRoleArn = roleArn(accountId, eventsRoleName);
    const sameAccount = { StringEquals: { 'aws:SourceAccount': accountId } };

    const automationRole = new IamRole(this, 'automation_role', {
      name: automationRoleName,
      description: `Runbook ${this.documentName}: starts a new deployment of a service of ${props.clusterName}`,
      assumeRolePolicy: serviceTrustPolicy('ssm.amazonaws.com', sameAccount),
    });
    const automationPolicy = new IamRolePolicy(this, 'automation_policy', {
      name: 'roll-service',
      role: automationRole.id,
      policy: policyDocument([
        {
          Sid: 'RollServicesOfTheCluster',
          Effect: 'Allow',
          Action: ['ecs:DescribeServices', 'ecs:UpdateService'],
          Resource: `arn:aws:ecs:${region}:${accountId}:service/${props.clusterName}/*`,
        },
      ]),
    });
    const document = new SsmDocument(this, 'runbook', {
      name: this.documentName,
      documentType: 'Automation',
      documentFormat: 'JSON',
      content: terraformJson({
        schemaVersion: '0.3',
        description: `New deployment of a service of ${props.clusterName}, so its tasks read rotated secrets again`,
        assumeRole: this.automationRoleArn,
        parameters: {
          Cluster: { type: 'String', description: 'Cluster name' },
          Service: { type: 'String', description: 'Service name' },
        },
        mainSteps: [
          {
            name: 'ForceNewDeployment',
            action: 'aws:executeAwsApi',
            inputs: { Service: 'ecs', Api: 'UpdateService', cluster: '{{ Cluster }}', service: '{{ Service }}', forceNewDeployment: true },
          },
        ],
      }),
      dependsOn: [automationRole, automationPolicy],
    });

    const eventsRole = new IamRole(this, 'events_role', {
      name: eventsRoleName,
      description: `EventBridge starts runbook ${this.documentName} when a secret rotates`,
      assumeRolePolicy: serviceTrustPolicy('events.amazonaws.com', sameAccount),
    });
    const eventsPolicy = new IamRolePolicy(this, 'events_policy', {
      name: 'start-roll',
      role: eventsRole.id,
      policy: policyDocument([
        {
          Sid: 'StartTheRunbook',
          Effect: 'Allow',
          Action: 'ssm:StartAutomationExecution',
          Resource: `arn:aws:ssm:${region}:${accountId}:automation-definition/${this.documentName}:*`,
        },
        {
          Sid: 'PassTheAutomationRole',
          Effect: 'Allow',
          Action: 'iam:PassRole',
          Resource: this.automationRoleArn,
          Condition: { StringEquals: { 'iam:PassedToService': 'ssm.amazonaws.com' } },
        },
      ]),
    });
    this.dependables = [document, eventsRole, eventsPolicy];
  }

  /**
   * Rolls `serviceName` when one of `secretArnPrefixes` (a secret ARN up to its random suffix,
   * `arn:...:secret:/prod/api/db-password-`) rotates.
   */
  addService(serviceName: string, secretArnPrefixes: readonly string[]): CloudwatchEventRule {
    if (secretArnPrefixes.length === 0) throw new Error(`RollOnRotation ${this.node.path}: addService(${serviceName}) needs at least one secret ARN prefix`);
    const scope = new Construct(this, serviceName);
    const rule = new CloudwatchEventRule(scope, 'rule', {
      name: `${this.props.name}-${serviceName}-roll-on-rotation`,
      description: `New deployment of ${serviceName} after a rotation of a secret it has injected`,
      eventPattern: terraformJson({
        source: ['aws.secretsmanager'],
        'detail-type': ['AWS Service Event via CloudTrail'],
        detail: {
          eventSource: ['secretsmanager.amazonaws.com'],
          eventName: [ROTATION_SUCCEEDED_EVENT],
          additionalEventData: { SecretId: [...secretArnPrefixes].sort().map((prefix) => ({ prefix })) },
        },
      }),
    });
    new CloudwatchEventTarget(scope, 'target', {
      rule: rule.name,
      targetId: 'roll-service',
      arn: this.automationDefinitionArn,
      roleArn: this.eventsRoleArn,
      input: terraformJson({ Cluster: [this.props.clusterName], Service: [serviceName] }),
      dependsOn: this.dependables as never,
    });
    return rule;
  }
}
