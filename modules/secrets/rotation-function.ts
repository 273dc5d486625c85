/**
 * A rotation function deployed from the AWS Serverless Application Repository (for example
 * `SecretsManagerRDSPostgreSQLRotationSingleUser`), provisioned completely:
 *
 * - the application's CloudFormation stack, through the AWS provider, pinned to a version;
 * - in the environment's app subnets, with its own security group whose only egress is HTTPS to
 *   the interface endpoints' security group (Secrets Manager is reached through the VPC endpoint,
 *   the template's `endpoint` parameter) and, for a database credential, the database port to
 *   the data tier; the matching ingress rules on those groups;
 * - permission scoped to the secrets it rotates: the template's role may use a secret only when
 *   the secret names this function as its rotation function
 *   (`secretsmanager:resource/AllowRotationLambdaArn`), and the secrets' resource and key
 *   policies admit it by `rolePattern`.
 *
 * - its log group `/aws/lambda/<functionName>`, created here before the function exists, with the
 *   tier's retention and a customer-managed key (Lambda would otherwise create it on the first
 *   invocation: no retention, no key).
 *
 * The function name, and so its ARN, are derived here rather than read from the application's
 * outputs, so plans show them and nothing depends on an output being present.
 */
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { ServerlessapplicationrepositoryCloudformationStack } from '@cdktf/provider-aws/lib/serverlessapplicationrepository-cloudformation-stack';
import { FUNCTION_NAME_MAX_CHARS, HTTPS_PORT, ROTATION_APPLICATION_CAPABILITIES } from './defaults';

/** CloudFormation names the stack of a Serverless Application Repository application `serverlessrepo-<name>`. */
const APPLICATION_STACK_PREFIX = 'serverlessrepo-';
const FUNCTION_NAME = /^[A-Za-z0-9_-]+$/;

export interface RotationFunctionProps {
  /** Lambda function name (`dev-api-db-password-rotation`), at most 64 characters. */
  readonly functionName: string;
  /** Serverless Application Repository application ARN. */
  readonly applicationId: string;
  /** Pinned application version. */
  readonly semanticVersion: string;
  readonly accountId: string;
  readonly region: string;
  /** Environment name: the application stacks of an environment share the role prefix `serverlessrepo-<env>-`. */
  readonly environmentName: string;
  /** VPC of the app subnets. */
  readonly vpcId: string;
  /** App-tier subnets the function runs in. */
  readonly subnetIds: readonly string[];
  /** Security group of the interface endpoints (Secrets Manager among them). */
  readonly endpointSecurityGroupId: string;
  /** Key of the secrets the function rotates. */
  readonly kmsKeyArn: string;
  /** Retention of the function's log group (the tier's). */
  readonly logRetentionDays: number;
  /** KMS key of the function's log group (one CloudWatch Logs may use). */
  readonly logKmsKeyArn: string;
  /** Database port the function reaches in the data tier. @default - no access to the data tier */
  readonly databasePort?: number;
  /** Security group of the data tier. @default - none; required with databasePort */
  readonly dataSecurityGroupId?: string;
}

export class RotationFunction extends Construct {
  readonly functionName: string;
  /** ARN of the Lambda function the application creates. */
  readonly functionArn: string;
  /** `aws:PrincipalArn` pattern of the function's role (CloudFormation generates the role name under the stack name). */
  readonly rolePattern: string;
  readonly securityGroupId: string;
  readonly application: ServerlessapplicationrepositoryCloudformationStack;
  readonly logGroup: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: RotationFunctionProps) {
    super(scope, id);
    if (!FUNCTION_NAME.test(props.functionName) || props.functionName.length > FUNCTION_NAME_MAX_CHARS) {
      throw new Error(
        `RotationFunction ${this.node.path}: functionName must be 1-${FUNCTION_NAME_MAX_CHARS} letters, digits, - or _ (got "${props.functionName}", ${props.functionName.length} characters); shorten the secret name`,
      );
    }
    if (!props.functionName.startsWith(`${props.environmentName}-`)) {
      throw new Error(`RotationFunction ${this.node.path}: functionName must start with "${props.environmentName}-" so rolePattern covers its role (got "${props.functionName}")`);
    }
    if (props.databasePort !== undefined && props.dataSecurityGroupId === undefined) {
      throw new Error(`RotationFunction ${this.node.path}: databasePort ${props.databasePort} needs dataSecurityGroupId (the data tier's security group)`);
    }
    if (Array.isArray(props.subnetIds) && props.subnetIds.length === 0) {
      throw new Error(`RotationFunction ${this.node.path}: subnetIds must list the app subnets (got [])`);
    }
    this.functionName = props.functionName;
    this.functionArn = `arn:aws:lambda:${props.region}:${props.accountId}:function:${props.functionName}`;
    this.rolePattern = `arn:aws:iam::${props.accountId}:role/${APPLICATION_STACK_PREFIX}${props.environmentName}-*`;

    // Lambda writes to /aws/lambda/<function name> (https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs.html).
    this.logGroup = new CloudwatchLogGroup(this, 'log_group', {
      name: `/aws/lambda/${props.functionName}`,
      retentionInDays: props.logRetentionDays,
      kmsKeyId: props.logKmsKeyArn,
    });

    const group = new SecurityGroup(this, 'security_group', {
      name: props.functionName,
      description: `Secrets Manager rotation function ${props.functionName}: HTTPS to the VPC endpoints only`,
      vpcId: props.vpcId,
      revokeRulesOnDelete: true,
      tags: { Name: props.functionName },
    });
    this.securityGroupId = group.id;
    new VpcSecurityGroupEgressRule(this, 'egress_https_endpoints', {
      securityGroupId: group.id,
      description: 'Secrets Manager through the interface endpoint',
      ipProtocol: 'tcp',
      fromPort: HTTPS_PORT,
      toPort: HTTPS_PORT,
      referencedSecurityGroupId: props.endpointSecurityGroupId,
    });
    new VpcSecurityGroupIngressRule(this, 'endpoints_ingress_https', {
      securityGroupId: props.endpointSecurityGroupId,
      description: `HTTPS from rotation function ${props.functionName}`,
      ipProtocol: 'tcp',
      fromPort: HTTPS_PORT,
      toPort: HTTPS_PORT,
      referencedSecurityGroupId: group.id,
    });
    if (props.databasePort !== undefined && props.dataSecurityGroupId !== undefined) {
      new VpcSecurityGroupEgressRule(this, 'egress_database', {
        securityGroupId: group.id,
        description: 'The database whose credential the function rotates',
        ipProtocol: 'tcp',
        fromPort: props.databasePort,
        toPort: props.databasePort,
        referencedSecurityGroupId: props.dataSecurityGroupId,
      });
      new VpcSecurityGroupIngressRule(this, 'data_ingress_database', {
        securityGroupId: props.dataSecurityGroupId,
        description: `Database port from rotation function ${props.functionName}`,
        ipProtocol: 'tcp',
        fromPort: props.databasePort,
        toPort: props.databasePort,
        referencedSecurityGroupId: group.id,
      });
    }

    this.application = new ServerlessapplicationrepositoryCloudformationStack(this, 'application', {
      name: props.functionName,
      applicationId: props.applicationId,
      semanticVersion: props.semanticVersion,
      capabilities: [...ROTATION_APPLICATION_CAPABILITIES],
      parameters: {
        functionName: props.functionName,
        endpoint: `https://secretsmanager.${props.region}.amazonaws.com`,
        kmsKeyArn: props.kmsKeyArn,
        vpcSubnetIds: Fn.join(',', props.subnetIds as string[]),
        vpcSecurityGroupIds: group.id,
      },
      dependsOn: [this.logGroup],
    });
  }
}
