import { readJsonDocument } from '../helpers/json-document';
import { Testing } from 'cdktf';
import { validatePlatform, type Platform } from '../../environments/load';
import dev from '../../environments/dev/config';
import staging from '../../environments/staging/config';
import prod from '../../environments/prod/config';
import shared from '../../environments/shared/config';
import { ContainerPlatformStack } from '../../stacks/container-platform-stack';
import { buildPlatform } from '../../stacks/platform-app';
import type { LayerStack } from '../../stacks/layer-stack';
import { ALB, LOG_RETENTION_DAYS } from '../../modules/containers';
import { resourcesOf, shippedPlatform } from '../helpers/platform';
import { decide, policyWith } from '../helpers/access';
import { FAKE_NETWORK, fakeSecretsOf } from '../modules/containers/fixtures';

/** A platform-stack built from the shipped config of `env`, optionally edited, with stand-in network and secrets exports. */
function platformStack(env: string, edit?: (config: any) => void): { stack: ContainerPlatformStack; json: any } {
  let platform: Platform = shippedPlatform();
  if (edit) {
    const raw = Object.entries({ dev, staging, prod, shared }).map(([name, value]) => {
      const copy = JSON.parse(JSON.stringify(value));
      if (name === env) edit(copy);
      return { name, value: copy };
    });
    platform = validatePlatform(raw);
  }
  const environment = platform.environment(env);
  const stack = new ContainerPlatformStack(Testing.app(), { platform, environment, network: FAKE_NETWORK, secrets: fakeSecretsOf(environment) });
  return { stack, json: JSON.parse(Testing.synth(stack)) };
}

const containersOf = (json: any) =>
  Object.entries(resourcesOf(json, 'aws_ecs_task_definition')).flatMap(([name, taskDef]: [string, any]) =>
    (readJsonDocument(taskDef.container_definitions) as any[]).map((container) => ({ taskDefinition: name, taskDef, container })),
  );

/** Secret ARNs the execution role of a task definition may read (its inline policies in the same stack). */
/** The secret ARN of a `valueFrom` (`<arn>` or `<arn>:<json-key>:<version-stage>:<version-id>`, ECS's format). */
function secretArnOf(valueFrom: string): string {
  return valueFrom.replace(/:[A-Za-z0-9_.-]*:[A-Za-z0-9_]*:[A-Za-z0-9-]*$/, '');
}

function readableSecrets(json: any, taskDef: any): string[] {
  const roleName = String(taskDef.execution_role_arn).split(':role/')[1];
  const [roleKey] = Object.entries(resourcesOf(json, 'aws_iam_role')).find(([, role]: [string, any]) => role.name === roleName) ?? [];
  expect(roleKey).toBeDefined();
  return Object.values(resourcesOf(json, 'aws_iam_role_policy'))
    .filter((policy: any) => policy.role === `\${aws_iam_role.${roleKey}.id}`)
    .flatMap((policy: any) => readJsonDocument(policy.policy).Statement)
    .filter((statement: any) => statement.Effect === 'Allow' && [statement.Action].flat().includes('secretsmanager:GetSecretValue'))
    .flatMap((statement: any) => [statement.Resource].flat());
}

describe('ContainerPlatformStack', () => {
  describe('secrets through a rotation (issue 24)', () => {
    const { json } = platformStack('prod');
    const api = containersOf(json).find(({ container }) => container.name === 'api')!.container;
    it('injects the password key of the database credential, not the whole JSON', () => {
      expect(api.secrets.find((secret: any) => secret.name === 'DB_PASSWORD').valueFrom).toMatch(/^arn:aws:secretsmanager:eu-west-1:710987654321:secret:\/prod\/api\/db-password-AbCdEf:password::$/);
    });
    it('rolls api on RotationSucceeded of the secret it injects: EventBridge starts the runbook that forces a new deployment', () => {
      const rule = resourcesOf(json, 'aws_cloudwatch_event_rule').roll_on_rotation_api_rule;
      expect(readJsonDocument(rule.event_pattern)).toEqual({
        source: ['aws.secretsmanager'],
        'detail-type': ['AWS Service Event via CloudTrail'],
        detail: {
          eventSource: ['secretsmanager.amazonaws.com'],
          eventName: ['RotationSucceeded'],
          additionalEventData: { SecretId: [{ prefix: 'arn:aws:secretsmanager:eu-west-1:710987654321:secret:/prod/api/db-password-' }] },
        },
      });
      const target = resourcesOf(json, 'aws_cloudwatch_event_target').roll_on_rotation_api_target;
      expect(target).toMatchObject({ arn: 'arn:aws:ssm:eu-west-1:710987654321:automation-definition/prod-platform-roll-service:$DEFAULT', role_arn: 'arn:aws:iam::710987654321:role/prod-platform-roll-events' });
      expect(readJsonDocument(target.input)).toEqual({ Cluster: ['${aws_ecs_cluster.cluster.name}'], Service: ['api'] });
      const runbook = readJsonDocument(resourcesOf(json, 'aws_ssm_document').roll_on_rotation_runbook.content) as any;
      expect(runbook.mainSteps).toEqual([expect.objectContaining({ action: 'aws:executeAwsApi', inputs: expect.objectContaining({ Service: 'ecs', Api: 'UpdateService', forceNewDeployment: true }) })]);
      expect(runbook.assumeRole).toBe('arn:aws:iam::710987654321:role/prod-platform-roll-automation');
    });
    it('does not roll web, which injects no rotated secret', () => {
      expect(Object.keys(resourcesOf(json, 'aws_cloudwatch_event_rule'))).toEqual(['roll_on_rotation_api_rule']);
    });
    it('lets the api task role read the shared GitHub App key at run time, and names it in the container by ARN (issue 16, defect 6)', () => {
      const policy = readJsonDocument(resourcesOf(json, 'aws_iam_role_policy').service_api_task_secrets_policy.policy) as any;
      expect(policy.Statement[0].Resource).toEqual(['arn:aws:secretsmanager:eu-west-1:210987654321:secret:/shared/platform/github-app-key-??????']);
      expect(api.environment).toContainEqual({ name: 'GITHUB_APP_KEY_SECRET_ARN', value: 'arn:aws:secretsmanager:eu-west-1:210987654321:secret:/shared/platform/github-app-key' });
      expect(resourcesOf(json, 'aws_iam_role_policy').service_web_task_secrets_policy).toBeUndefined();
    });
  });

  describe('writable /tmp for the non-root user on a read-only root (the image contract, issue 24)', () => {
    // Fargate backs a task volume without `host` with the task's ephemeral storage (a bind mount).
    // ECS copies what the image has at a VOLUME path equal to containerPath into the volume, so
    // an image that declares `VOLUME /tmp` with /tmp owned by the task user (or mode 1777) gets
    // a writable /tmp; otherwise the mount is root-owned 0755 and uid 1000 cannot write.
    // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/bind-mounts.html
    // https://github.com/aws/containers-roadmap/issues/938
    it.each(['dev', 'staging', 'prod'])('%s: every container runs as uid 1000 on a read-only root with /tmp on a task volume backed by ephemeral storage', (env) => {
      const { json } = platformStack(env);
      for (const { taskDef, container } of containersOf(json)) {
        expect(container.user).toBe('1000');
        expect(container.readonlyRootFilesystem).toBe(true);
        expect(container.mountPoints).toEqual([{ sourceVolume: 'tmp', containerPath: '/tmp', readOnly: false }]);
        const volume = [taskDef.volume].flat().find((candidate: any) => candidate.name === 'tmp');
        expect(volume).toEqual({ name: 'tmp' });
        expect(container.environment).toContainEqual({ name: 'TMPDIR', value: '/tmp' });
      }
    });
  });

  describe.each(['dev', 'staging', 'prod'])('%s with the shipped config', (env) => {
    const { stack, json } = platformStack(env);
    const tier = stack.environment.tier;

    it('has one cluster with Container Insights and the api and web services', () => {
      expect(Object.values(resourcesOf(json, 'aws_ecs_cluster')).map((cluster: any) => cluster.name)).toEqual([`${env}-platform`]);
      expect(Object.keys(resourcesOf(json, 'aws_ecs_service')).sort()).toEqual(['service_api', 'service_web']);
    });

    it('runs no privileged container, and every container has a log configuration', () => {
      const containers = containersOf(json);
      expect(containers.length).toBe(2);
      for (const { container } of containers) {
        expect(container.privileged).toBe(false);
        expect(container.readonlyRootFilesystem).toBe(true);
        expect(container.user).toMatch(/^[1-9]\d*$/);
        expect(container.logConfiguration).toEqual(expect.objectContaining({ logDriver: 'awslogs', options: expect.objectContaining({ 'awslogs-group': expect.any(String) }) }));
      }
    });

    it('resolves every secret reference to a secret the execution role may read, and keeps secrets out of plain env', () => {
      let references = 0;
      for (const { taskDef, container } of containersOf(json)) {
        const readable = readableSecrets(json, taskDef);
        for (const secret of container.secrets) {
          references += 1;
          expect(readable).toContain(secretArnOf(secret.valueFrom));
        }
        expect(readable.sort()).toEqual(container.secrets.map((secret: any) => secretArnOf(secret.valueFrom)).sort());
        // A plain variable may name a secret (its ARN, for a run-time read), never hold a value.
        for (const variable of container.environment) if (/secretsmanager/.test(variable.value)) expect(variable.value).toMatch(/^arn:aws:secretsmanager:[a-z0-9-]+:\d{12}:secret:[\w/+=.@-]+$/);
        expect(container.environment).toContainEqual({ name: 'PLATFORM_ENV', value: env });
      }
      expect(references).toBe(2);
    });

    it('sends the ALB access logs to the archive and the WAF logs to a log group of its own account', () => {
      expect(resourcesOf(json, 'aws_lb').load_balancer.access_logs).toEqual({ bucket: 'acme-alb-logs-310987654321', prefix: `alb/${env}`, enabled: true });
      const account = shippedPlatform().environment(env).accountId;
      expect(resourcesOf(json, 'aws_wafv2_web_acl_logging_configuration').web_acl_logging.log_destination_configs).toEqual([
        `arn:aws:logs:eu-west-1:${account}:log-group:aws-waf-logs-${env}-platform`,
      ]);
    });

    describe('WAF log delivery (proven by iam-simulate over the synthesized policies)', () => {
      // WAF writes through delivery.logs.amazonaws.com into streams `<region>_<web ACL>_<n>` of the group
      // (https://docs.aws.amazon.com/waf/latest/developerguide/logging-cw-logs.html); CloudWatch Logs sends
      // aws:SourceAccount and an aws:SourceArn in the account's logs namespace, documented as the pattern
      // arn:aws:logs:<region>:<account>:* (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-infrastructure-CWL.html).
      const account = shippedPlatform().environment(env).accountId;
      const group = `arn:aws:logs:eu-west-1:${account}:log-group:aws-waf-logs-${env}-platform`;
      const policy = () => policyWith(resourcesOf(json, 'aws_cloudwatch_log_resource_policy').web_acl_log_delivery.policy_document);
      const deliver = (action: string, stream: string, sourceAccount: string) =>
        decide({
          principal: 'delivery.logs.amazonaws.com',
          action,
          resource: stream,
          resourceAccount: account,
          context: { 'aws:SourceAccount': sourceAccount, 'aws:SourceArn': `arn:aws:logs:eu-west-1:${sourceAccount}:log-group:aws-waf-logs-${env}-platform` },
          resourcePolicy: policy(),
        });

      it.each(['logs:CreateLogStream', 'logs:PutLogEvents'])('allows %s on the web ACL\'s streams for this account', async (action) => {
        expect(await deliver(action, `${group}:log-stream:eu-west-1_${env}-platform_0`, account)).toBe('Allowed');
      });

      it('denies delivery on behalf of another account, and into another group', async () => {
        expect(await deliver('logs:PutLogEvents', `${group}:log-stream:eu-west-1_${env}-platform_0`, '999999999999')).toBe('ImplicitlyDenied');
        expect(await deliver('logs:PutLogEvents', `arn:aws:logs:eu-west-1:${account}:log-group:/platform/other:log-stream:x`, account)).toBe('ImplicitlyDenied');
      });

      it('lets CloudWatch Logs encrypt the group with the platform key, for this account\'s groups only', async () => {
        const keyArn = `arn:aws:kms:eu-west-1:${account}:key/0f0f0f0f-1111-2222-3333-444455556666`;
        expect(resourcesOf(json, 'aws_cloudwatch_log_group').web_acl_log_group.kms_key_id).toBe('${aws_kms_key.logs_key.arn}');
        const keyPolicy = policyWith(resourcesOf(json, 'aws_kms_key').logs_key.policy);
        const encrypt = (logGroupArn: string) =>
          decide({
            principal: 'logs.eu-west-1.amazonaws.com',
            action: 'kms:GenerateDataKey',
            resource: keyArn,
            resourceAccount: account,
            context: { 'kms:EncryptionContext:aws:logs:arn': logGroupArn },
            resourcePolicy: keyPolicy,
          });
        expect(await encrypt(group)).toBe('Allowed');
        expect(await encrypt(`arn:aws:logs:eu-west-1:999999999999:log-group:aws-waf-logs-x`)).toBe('ImplicitlyDenied');
      });
    });

    it('runs services in the app subnets with the app security group, circuit breaker on', () => {
      for (const service of Object.values(resourcesOf(json, 'aws_ecs_service')) as any[]) {
        expect(service.network_configuration).toEqual({ subnets: FAKE_NETWORK.appSubnetIds, security_groups: ['sg-app'], assign_public_ip: false });
        expect(service.deployment_circuit_breaker).toEqual({ enable: true, rollback: true });
        expect(service.enable_execute_command).toBe(false);
      }
    });

    it('keeps the log groups for the tier retention, encrypted with the platform key', () => {
      for (const group of Object.values(resourcesOf(json, 'aws_cloudwatch_log_group')) as any[]) {
        expect(group).toEqual(expect.objectContaining({ retention_in_days: LOG_RETENTION_DAYS[tier], kms_key_id: '${aws_kms_key.logs_key.arn}' }));
      }
    });
  });

  describe('tier differences', () => {
    const prodJson = platformStack('prod').json;
    const devJson = platformStack('dev').json;
    it('protects the prod ALB from deletion and deploys prod at 100%/200%', () => {
      expect(resourcesOf(prodJson, 'aws_lb').load_balancer.enable_deletion_protection).toBe(true);
      expect(resourcesOf(devJson, 'aws_lb').load_balancer.enable_deletion_protection).toBe(false);
      for (const service of Object.values(resourcesOf(prodJson, 'aws_ecs_service')) as any[]) {
        expect(service).toEqual(expect.objectContaining({ deployment_minimum_healthy_percent: 100, deployment_maximum_percent: 200 }));
      }
    });
    it('favours spot in dev and keeps an on-demand base in prod', () => {
      const strategy = (json: any) => resourcesOf(json, 'aws_ecs_cluster_capacity_providers').cluster_capacity_providers.default_capacity_provider_strategy;
      expect(strategy(devJson)).toEqual(expect.arrayContaining([expect.objectContaining({ capacity_provider: 'FARGATE_SPOT', weight: 4 })]));
      expect(strategy(prodJson)).toEqual(expect.arrayContaining([expect.objectContaining({ capacity_provider: 'FARGATE', base: 2 })]));
    });
  });

  describe('with ECS Exec enabled', () => {
    const { json } = platformStack('dev', (config) => (config.services.cluster = { execCommand: true }));
    it('logs sessions to an encrypted log group and turns Exec on for the services', () => {
      expect(resourcesOf(json, 'aws_ecs_cluster').cluster.configuration.execute_command_configuration.log_configuration).toEqual(
        expect.objectContaining({ cloud_watch_encryption_enabled: true }),
      );
      expect(resourcesOf(json, 'aws_cloudwatch_log_group').cluster_exec_log_group.kms_key_id).toBe('${aws_kms_key.logs_key.arn}');
      for (const service of Object.values(resourcesOf(json, 'aws_ecs_service')) as any[]) expect(service.enable_execute_command).toBe(true);
    });
  });

  describe('with EC2 capacity', () => {
    const { json } = platformStack('dev', (config) => {
      config.services.cluster = { ec2: { instanceType: 'm7i.large', minSize: 0, maxSize: 2 } };
      config.services.list[1].capacity = 'ec2';
    });
    it('registers the EC2 capacity provider and runs the opted-in service on it', () => {
      expect(resourcesOf(json, 'aws_ecs_cluster_capacity_providers').cluster_capacity_providers.capacity_providers).toEqual([
        'FARGATE',
        'FARGATE_SPOT',
        '${aws_ecs_capacity_provider.ec2_capacity_capacity_provider.name}',
      ]);
      const web = resourcesOf(json, 'aws_ecs_service').service_web;
      expect(web.capacity_provider_strategy).toEqual([{ capacity_provider: '${aws_ecs_capacity_provider.ec2_capacity_capacity_provider.name}', base: 0, weight: 1 }]);
      expect(resourcesOf(json, 'aws_ecs_task_definition').service_web_task_definition.requires_compatibilities).toEqual(['EC2', 'FARGATE']);
      expect(resourcesOf(json, 'aws_launch_template').ec2_capacity_launch_template.metadata_options.http_tokens).toBe('required');
      expect(Object.keys(resourcesOf(json, 'aws_cloudwatch_metric_alarm')).sort()).toEqual(['ec2_capacity_instance_status_alarm', 'ec2_capacity_system_status_alarm']);
    });
  });

  describe('misuse', () => {
    it('refuses the organization environment', () => {
      const platform = shippedPlatform();
      expect(() => new ContainerPlatformStack(Testing.app(), { platform, environment: platform.shared, network: FAKE_NETWORK, secrets: fakeSecretsOf(platform.shared) })).toThrow(
        /environment "shared" declares the organization and runs no container platform/,
      );
    });
    it('refuses a secret the secrets layer does not export', () => {
      const platform = shippedPlatform();
      const environment = platform.environment('dev');
      expect(() => new ContainerPlatformStack(Testing.app(), { platform, environment, network: FAKE_NETWORK, secrets: { kmsKeyArn: 'k', secrets: {} } })).toThrow(
        /services.api.secrets.DB_PASSWORD names "api\/db-password", which SecretsStack.exports does not hold/,
      );
    });
  });
});

describe('the whole platform', () => {
  const app = Testing.app();
  const stacks = buildPlatform(app, shippedPlatform()).all as LayerStack[];
  app.synth();
  const synthesized = new Map(stacks.map((stack) => [stack.node.id, JSON.parse(Testing.synth(stack))]));
  const WORLD = ['0.0.0.0/0', '::/0'];

  it('opens only the ALB listener ports to the internet, in every stack', () => {
    const listenerPorts = new Set<number>();
    for (const [name, json] of synthesized) {
      if (!name.endsWith('-platform')) continue;
      for (const listener of Object.values(resourcesOf(json, 'aws_lb_listener')) as any[]) listenerPorts.add(listener.port);
    }
    expect([...listenerPorts].sort((a, b) => a - b)).toEqual([ALB.httpPort, ALB.httpsPort]);

    const open: { stack: string; rule: string; from: number; to: number }[] = [];
    for (const [name, json] of synthesized) {
      for (const [rule, value] of Object.entries(resourcesOf(json, 'aws_vpc_security_group_ingress_rule')) as [string, any][]) {
        if (WORLD.includes(value.cidr_ipv4) || WORLD.includes(value.cidr_ipv6)) open.push({ stack: name, rule, from: value.from_port, to: value.to_port });
      }
      for (const [rule, value] of Object.entries(resourcesOf(json, 'aws_security_group_rule')) as [string, any][]) {
        const cidrs = [...(value.cidr_blocks ?? []), ...(value.ipv6_cidr_blocks ?? [])];
        if (value.type === 'ingress' && cidrs.some((cidr: string) => WORLD.includes(cidr))) open.push({ stack: name, rule, from: value.from_port, to: value.to_port });
      }
      for (const [group, value] of Object.entries(resourcesOf(json, 'aws_security_group')) as [string, any][]) {
        for (const ingress of value.ingress ?? []) {
          const cidrs = [...(ingress.cidr_blocks ?? []), ...(ingress.ipv6_cidr_blocks ?? [])];
          if (cidrs.some((cidr: string) => WORLD.includes(cidr))) open.push({ stack: name, rule: group, from: ingress.from_port, to: ingress.to_port });
        }
      }
    }
    // The ALB groups of the workload networks do open 80 and 443 (or the check below proves nothing).
    expect(open.filter((rule) => rule.stack === 'dev-network').map((rule) => rule.from).sort((a, b) => a - b)).toEqual([ALB.httpPort, ALB.httpsPort]);
    for (const rule of open) {
      expect({ ...rule, listenerPort: rule.from === rule.to && listenerPorts.has(rule.from) }).toEqual({ ...rule, listenerPort: true });
    }
  });

  it.each(['dev', 'staging', 'prod'])('%s: every secret reference reads an output of the secrets stack that is a Secrets Manager secret ARN', (env) => {
    const platformJson = synthesized.get(`${env}-platform`);
    const secretsJson = synthesized.get(`${env}-secrets`);
    let checked = 0;
    for (const { taskDef, container } of containersOf(platformJson)) {
      const readable = readableSecrets(platformJson, taskDef);
      for (const secret of container.secrets) {
        expect(readable).toContain(secretArnOf(secret.valueFrom));
        const output = /outputs\.([A-Za-z0-9_]+)\}$/.exec(secretArnOf(secret.valueFrom))?.[1];
        expect(secretsJson.output[output!].value).toMatch(/^\$\{aws_secretsmanager_secret\.[a-z0-9_]+\.arn\}$/);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(0);
  });
});
