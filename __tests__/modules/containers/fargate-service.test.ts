import { FargateService, type FargateServiceProps } from '../../../modules/containers';
import { newTestStack, resourcesOf, synthJson } from '../../helpers/platform';
import { readJsonDocument } from '../../helpers/json-document';

const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:510987654321:secret:/dev/api/db-password-AbCdEf';
const KEY_ARN = 'arn:aws:kms:eu-west-1:510987654321:key/11111111-2222-3333-4444-555555555555';

function props(overrides: Partial<FargateServiceProps> = {}): FargateServiceProps {
  return {
    environmentName: 'dev',
    serviceName: 'api',
    accountId: '510987654321',
    region: 'eu-west-1',
    clusterArn: 'arn:aws:ecs:eu-west-1:510987654321:cluster/dev-platform',
    clusterName: 'dev-platform',
    image: '410987654321.dkr.ecr.eu-west-1.amazonaws.com/api:1.4.2',
    repositoryArn: 'arn:aws:ecr:eu-west-1:410987654321:repository/api',
    cpu: 256,
    memory: 512,
    port: 8080,
    environment: { LOG_LEVEL: 'debug' },
    secrets: { DB_PASSWORD: SECRET_ARN },
    secretsKmsKeyArns: [KEY_ARN],
    logRetentionDays: 30,
    logKmsKeyArn: 'arn:aws:kms:eu-west-1:510987654321:key/logs',
    vpcId: 'vpc-1',
    subnetIds: ['subnet-app-a', 'subnet-app-b'],
    securityGroupIds: ['sg-app'],
    listenerArn: 'arn:aws:elasticloadbalancing:eu-west-1:510987654321:listener/app/dev-platform/1/2',
    loadBalancerArnSuffix: 'app/dev-platform/1',
    routePriority: 100,
    routeHosts: ['api.dev.acme.example'],
    deregistrationDelaySeconds: 5,
    desiredCount: 1,
    minCount: 1,
    maxCount: 2,
    capacityStrategy: [{ capacityProvider: 'FARGATE_SPOT', base: 0, weight: 1 }],
    minimumHealthyPercent: 100,
    maximumPercent: 200,
    ...overrides,
  };
}

function synthService(overrides: Partial<FargateServiceProps> = {}) {
  const stack = newTestStack('dev');
  new FargateService(stack, 'service_api', props(overrides));
  return synthJson(stack);
}

const containerOf = (json: any) => readJsonDocument(resourcesOf(json, 'aws_ecs_task_definition').service_api_task_definition.container_definitions)[0];
const policyOf = (json: any, name: string) => readJsonDocument(resourcesOf(json, 'aws_iam_role_policy')[name].policy);

describe('FargateService', () => {
  describe('task definition', () => {
    const json = synthService();
    const taskDef = resourcesOf(json, 'aws_ecs_task_definition').service_api_task_definition;
    const container = containerOf(json);

    it('is awsvpc on Fargate with the roles named by shared-names', () => {
      expect(taskDef).toEqual(
        expect.objectContaining({
          family: 'dev-api',
          network_mode: 'awsvpc',
          requires_compatibilities: ['FARGATE'],
          cpu: '256',
          memory: '512',
          execution_role_arn: 'arn:aws:iam::510987654321:role/dev-api-execution',
          task_role_arn: 'arn:aws:iam::510987654321:role/dev-api-task',
        }),
      );
    });

    it('runs a hardened container: not privileged, read-only root, non-root user, all capabilities dropped', () => {
      expect(container).toEqual(
        expect.objectContaining({ privileged: false, readonlyRootFilesystem: true, user: '1000', image: '410987654321.dkr.ecr.eu-west-1.amazonaws.com/api:1.4.2' }),
      );
      expect(container.linuxParameters.capabilities.drop).toEqual(['ALL']);
      expect(container.mountPoints).toEqual([expect.objectContaining({ sourceVolume: 'tmp', containerPath: '/tmp' })]);
    });

    it('logs through awslogs to its own encrypted log group', () => {
      expect(container.logConfiguration).toEqual({
        logDriver: 'awslogs',
        options: { 'awslogs-group': '${aws_cloudwatch_log_group.service_api_log_group.name}', 'awslogs-region': 'eu-west-1', 'awslogs-stream-prefix': 'api' },
      });
      expect(resourcesOf(json, 'aws_cloudwatch_log_group').service_api_log_group).toEqual(
        expect.objectContaining({ name: '/ecs/dev/api', retention_in_days: 30, kms_key_id: 'arn:aws:kms:eu-west-1:510987654321:key/logs' }),
      );
    });

    it('puts secrets in `secrets` by ARN, never in the plain environment', () => {
      expect(container.secrets).toEqual([{ name: 'DB_PASSWORD', valueFrom: SECRET_ARN }]);
      expect(container.environment).toEqual([{ name: 'LOG_LEVEL', value: 'debug' }, { name: 'TMPDIR', value: '/tmp' }]);
      expect(JSON.stringify(container.environment)).not.toContain('secretsmanager');
    });
  });

  describe('execution role', () => {
    const json = synthService();
    const statements = policyOf(json, 'service_api_execution_policy').Statement;
    const bySid = (sid: string) => statements.find((statement: any) => statement.Sid === sid);

    it('may pull its own image only', () => {
      expect(bySid('PullImage')).toEqual(expect.objectContaining({ Action: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'], Resource: 'arn:aws:ecr:eu-west-1:410987654321:repository/api' }));
    });
    it('may write its own log group only', () => {
      expect(bySid('WriteLogs').Resource).toBe('${aws_cloudwatch_log_group.service_api_log_group.arn}:*');
    });
    it('may read exactly its own secrets and decrypt them through Secrets Manager', () => {
      expect(bySid('ReadOwnSecrets')).toEqual(expect.objectContaining({ Action: 'secretsmanager:GetSecretValue', Resource: [SECRET_ARN] }));
      expect(bySid('DecryptOwnSecrets')).toEqual(
        expect.objectContaining({ Action: 'kms:Decrypt', Resource: [KEY_ARN], Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.eu-west-1.amazonaws.com' } } }),
      );
    });
    it('gets no secret statements when the service has no secrets', () => {
      const plain = policyOf(synthService({ secrets: {}, secretsKmsKeyArns: [] }), 'service_api_execution_policy').Statement;
      expect(plain.map((statement: any) => statement.Sid)).toEqual(['RegistryToken', 'PullImage', 'WriteLogs']);
    });
    it('is trusted by ECS tasks of its own account only', () => {
      const trust = JSON.parse(resourcesOf(json, 'aws_iam_role').service_api_execution_role.assume_role_policy);
      expect(trust.Statement[0].Condition.StringEquals).toEqual({ 'aws:SourceAccount': '510987654321' });
    });
  });

  describe('ECS service', () => {
    const json = synthService();
    const service = resourcesOf(json, 'aws_ecs_service').service_api;

    it('runs in the given subnets and security group without a public IP', () => {
      expect(service.network_configuration).toEqual({ subnets: ['subnet-app-a', 'subnet-app-b'], security_groups: ['sg-app'], assign_public_ip: false });
    });
    it('rolls back failed deployments within the given bounds', () => {
      expect(service).toEqual(
        expect.objectContaining({
          deployment_circuit_breaker: { enable: true, rollback: true },
          deployment_minimum_healthy_percent: 100,
          deployment_maximum_percent: 200,
          health_check_grace_period_seconds: 60,
          enable_execute_command: false,
        }),
      );
    });
    it('registers with an ip target group and a host rule', () => {
      expect(resourcesOf(json, 'aws_lb_target_group').service_api_target_group).toEqual(
        expect.objectContaining({ name: 'dev-api', target_type: 'ip', port: 8080, health_check: expect.objectContaining({ path: '/healthz', matcher: '200-399' }) }),
      );
      expect(resourcesOf(json, 'aws_lb_listener_rule').service_api_listener_rule).toEqual(
        expect.objectContaining({ priority: 100, condition: [{ host_header: { values: ['api.dev.acme.example'] } }] }),
      );
    });
    it('scales on CPU and on ALB requests per target', () => {
      const policies = resourcesOf(json, 'aws_appautoscaling_policy');
      expect(policies.service_api_scale_on_cpu.target_tracking_scaling_policy_configuration).toEqual(
        expect.objectContaining({ target_value: 60, predefined_metric_specification: { predefined_metric_type: 'ECSServiceAverageCPUUtilization' } }),
      );
      expect(policies.service_api_scale_on_requests.target_tracking_scaling_policy_configuration.predefined_metric_specification).toEqual({
        predefined_metric_type: 'ALBRequestCountPerTarget',
        resource_label: 'app/dev-platform/1/${aws_lb_target_group.service_api_target_group.arn_suffix}',
      });
      expect(resourcesOf(json, 'aws_appautoscaling_target').service_api_scaling_target).toEqual(
        expect.objectContaining({ min_capacity: 1, max_capacity: 2, resource_id: 'service/dev-platform/${aws_ecs_service.service_api.name}' }),
      );
    });
  });

  describe('ECS Exec', () => {
    it('grants the task role the SSM channels and the session log group', () => {
      const json = synthService({ execCommand: { logGroupArn: 'arn:aws:logs:eu-west-1:510987654321:log-group:/ecs/dev-platform/exec', kmsKeyArn: KEY_ARN } });
      expect(resourcesOf(json, 'aws_ecs_service').service_api.enable_execute_command).toBe(true);
      const sids = policyOf(json, 'service_api_task_exec_policy').Statement.map((statement: any) => statement.Sid);
      expect(sids).toEqual(['ExecChannels', 'ExecLogGroups', 'ExecLogs', 'ExecDecrypt']);
    });
  });

  describe('misuse', () => {
    it.each<[string, Partial<FargateServiceProps>, RegExp]>([
      ['a cpu/memory pair Fargate refuses', { cpu: 1024, memory: 1024 }, /FargateService api: memory 1024 is not a Fargate memory size for cpu 1024/],
      ['a cpu Fargate lacks', { cpu: 300 }, /FargateService api: cpu 300 is not a Fargate cpu size/],
      ['a privileged port', { port: 443 }, /port must be 1024-65535 \(got 443\)/],
      ['counts out of order', { minCount: 3, desiredCount: 1, maxCount: 2 }, /needs minCount <= desiredCount <= maxCount/],
      ['a route matching nothing', { routeHosts: [], routePaths: [] }, /routePaths and routeHosts must hold 1-5 values together \(got 0\)/],
      ['a priority out of range', { routePriority: 0 }, /routePriority must be 1-50000 \(got 0\)/],
      ['a secret also set in plain env', { environment: { DB_PASSWORD: 'x' } }, /DB_PASSWORD is both a plain variable and a secret/],
      ['a long name', { serviceName: 'payments-reconciliation-batch' }, /"dev-payments-reconciliation-batch" is longer than the 32 characters/],
      ['an empty strategy', { capacityStrategy: [] }, /capacityStrategy is empty/],
    ])('throws on %s', (_label, overrides, message) => {
      expect(() => synthService(overrides)).toThrow(message);
    });
  });
});
