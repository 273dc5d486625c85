import { Testing } from 'cdktf';
import { RotationFunction, type RotationFunctionProps } from '../../../modules/secrets/rotation-function';
import { emptyStack, platformWithSecrets, SAR_POSTGRES_SINGLE_USER } from './helpers';

const PROPS: RotationFunctionProps = {
  functionName: 'dev-api-db-password-rotation', applicationId: SAR_POSTGRES_SINGLE_USER.applicationId, semanticVersion: '1.1.367',
  accountId: '510987654321', region: 'eu-west-1', environmentName: 'dev', vpcId: 'vpc-1', subnetIds: ['subnet-a', 'subnet-b'],
  endpointSecurityGroupId: 'sg-endpoints', kmsKeyArn: 'arn:aws:kms:eu-west-1:510987654321:key/k',
  logRetentionDays: 30, logKmsKeyArn: 'arn:aws:kms:eu-west-1:510987654321:key/logs',
};

function build(overrides: Partial<RotationFunctionProps> = {}) {
  const stack = emptyStack(platformWithSecrets());
  const fn = new RotationFunction(stack, 'rotation_function', { ...PROPS, ...overrides });
  return { fn, json: JSON.parse(Testing.synth(stack)) };
}

describe('RotationFunction', () => {
  it('deploys the pinned application in the app subnets with its own security group', () => {
    const { json, fn } = build();
    const app = json.resource.aws_serverlessapplicationrepository_cloudformation_stack.rotation_function_application;
    expect(app).toMatchObject({ application_id: PROPS.applicationId, semantic_version: '1.1.367', capabilities: ['CAPABILITY_IAM', 'CAPABILITY_RESOURCE_POLICY'] });
    expect(app.parameters).toMatchObject({ endpoint: 'https://secretsmanager.eu-west-1.amazonaws.com', vpcSecurityGroupIds: '${aws_security_group.rotation_function_security_group.id}' });
    expect(fn.functionArn).toBe('arn:aws:lambda:eu-west-1:510987654321:function:dev-api-db-password-rotation');
    expect(fn.rolePattern).toBe('arn:aws:iam::510987654321:role/serverlessrepo-dev-*');
  });

  it('creates its log group before the function, with the retention and key it is given (Lambda would create one without either)', () => {
    const { json } = build();
    expect(json.resource.aws_cloudwatch_log_group.rotation_function_log_group).toMatchObject({
      name: '/aws/lambda/dev-api-db-password-rotation', retention_in_days: 30, kms_key_id: PROPS.logKmsKeyArn,
    });
    expect(json.resource.aws_serverlessapplicationrepository_cloudformation_stack.rotation_function_application.depends_on).toContain('aws_cloudwatch_log_group.rotation_function_log_group');
  });

  it('allows only HTTPS to the endpoints, and nothing else, without a database port', () => {
    const { json } = build();
    expect(Object.keys(json.resource.aws_vpc_security_group_egress_rule)).toEqual(['rotation_function_egress_https_endpoints']);
    expect(json.resource.aws_vpc_security_group_egress_rule.rotation_function_egress_https_endpoints).toMatchObject({
      from_port: 443, to_port: 443, ip_protocol: 'tcp', referenced_security_group_id: 'sg-endpoints',
    });
    expect(json.resource.aws_security_group.rotation_function_security_group.egress).toBeUndefined();
  });

  it('reaches the database port in the data tier when given', () => {
    const { json } = build({ databasePort: 5432, dataSecurityGroupId: 'sg-data' });
    expect(json.resource.aws_vpc_security_group_egress_rule.rotation_function_egress_database).toMatchObject({ from_port: 5432, referenced_security_group_id: 'sg-data' });
    expect(json.resource.aws_vpc_security_group_ingress_rule.rotation_function_data_ingress_database).toMatchObject({ security_group_id: 'sg-data', from_port: 5432 });
  });

  it.each([
    [{ functionName: 'x'.repeat(65) }, /functionName must be 1-64 letters.*65 characters/],
    [{ functionName: 'staging-x-rotation' }, /functionName must start with "dev-"/],
    [{ databasePort: 5432 }, /databasePort 5432 needs dataSecurityGroupId/],
    [{ subnetIds: [] }, /subnetIds must list the app subnets/],
  ])('throws for %j', (overrides, message) => {
    expect(() => build(overrides as Partial<RotationFunctionProps>)).toThrow(message);
  });
});
