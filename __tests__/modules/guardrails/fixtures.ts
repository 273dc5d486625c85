/** Raw provider resources for the guardrail tests: compliant by default, broken by a prop. */
import { Fn } from 'cdktf';
import type { Construct } from 'constructs';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
import { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { Lb } from '@cdktf/provider-aws/lib/lb';
import { EcsTaskDefinition } from '@cdktf/provider-aws/lib/ecs-task-definition';
import { EcsService } from '@cdktf/provider-aws/lib/ecs-service';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { SecretsmanagerSecretRotation } from '@cdktf/provider-aws/lib/secretsmanager-secret-rotation';
import { TIER_INVARIANTS } from '../../../modules/guardrails';

export const KEY_ARN = 'arn:aws:kms:eu-west-1:510987654321:key/0f0f0f0f-1111-2222-3333-444455556666';
export const ORG_ID = 'o-a1b2c3d4e5';

export function tlsDeny(arn: string): Record<string, unknown> {
  return { Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: '*', Resource: [arn, `${arn}/*`], Condition: { Bool: { 'aws:SecureTransport': 'false' } } };
}

export interface BucketOptions {
  readonly versioning?: boolean;
  readonly encryption?: 'aws:kms' | 'AES256' | false;
  readonly publicAccessBlock?: boolean | 'partial';
  readonly policy?: 'tls' | 'none' | 'allow-only' | ((arn: string) => string);
}

/** A bucket with its companions, each one removable. */
export function bucket(scope: Construct, id: string, options: BucketOptions = {}): S3Bucket {
  const b = new S3Bucket(scope, id, { bucket: `acme-${id.replace(/_/g, '-')}` });
  if (options.versioning !== false) new S3BucketVersioningA(scope, `${id}_versioning`, { bucket: b.id, versioningConfiguration: { status: 'Enabled' } });
  const encryption = options.encryption ?? 'aws:kms';
  if (encryption) {
    new S3BucketServerSideEncryptionConfigurationA(scope, `${id}_encryption`, {
      bucket: b.id,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: encryption, kmsMasterKeyId: encryption === 'aws:kms' ? KEY_ARN : undefined } }],
    });
  }
  const pab = options.publicAccessBlock ?? true;
  if (pab) {
    new S3BucketPublicAccessBlock(scope, `${id}_public_access`, {
      bucket: b.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: pab !== 'partial',
      restrictPublicBuckets: true,
    });
  }
  const policy = options.policy ?? 'tls';
  if (typeof policy === 'function') new S3BucketPolicy(scope, `${id}_policy`, { bucket: b.id, policy: policy(b.arn) });
  else if (policy === 'tls') new S3BucketPolicy(scope, `${id}_policy`, { bucket: b.id, policy: Fn.jsonencode({ Version: '2012-10-17', Statement: [tlsDeny(b.arn)] }) });
  else if (policy === 'allow-only') {
    new S3BucketPolicy(scope, `${id}_policy`, {
      bucket: b.id,
      policy: JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { Service: 'logging.s3.amazonaws.com' }, Action: 's3:PutObject', Resource: `${b.arn}/*` }] }),
    });
  }
  return b;
}

export interface VpcOptions {
  readonly flowLog?: boolean;
  readonly defaultSecurityGroup?: 'closed' | 'open' | 'absent';
  /** Zones with subnets. @default ['eu-west-1a', 'eu-west-1b'] */
  readonly zones?: readonly string[];
  /** Zones with a NAT gateway. @default - none */
  readonly natZones?: readonly string[];
}

export function vpc(scope: Construct, id: string, options: VpcOptions = {}): Vpc {
  const v = new Vpc(scope, id, { cidrBlock: '10.10.0.0/16' });
  if (options.flowLog !== false) new FlowLog(scope, `${id}_flow_log`, { vpcId: v.id, trafficType: 'ALL', logDestinationType: 's3', logDestination: 'arn:aws:s3:::acme-flow-logs' });
  const dsg = options.defaultSecurityGroup ?? 'closed';
  if (dsg !== 'absent') {
    new DefaultSecurityGroup(scope, `${id}_default_sg`, {
      vpcId: v.id,
      ingress: dsg === 'open' ? [{ protocol: '-1', fromPort: 0, toPort: 0, selfAttribute: true }] : undefined,
    });
  }
  const zones = options.zones ?? ['eu-west-1a', 'eu-west-1b'];
  zones.forEach((zone, index) => {
    const key = zone.replace(/-/g, '_');
    const subnet = new Subnet(scope, `${id}_public_${key}`, { vpcId: v.id, availabilityZone: zone, cidrBlock: `10.10.${index}.0/24` });
    if (options.natZones?.includes(zone)) new NatGateway(scope, `${id}_nat_${key}`, { subnetId: subnet.id, allocationId: `eipalloc-${index}` });
  });
  return v;
}

/** An internet-facing ALB (with its security group) as the platform builds it. */
export function alb(scope: Construct, id: string, lb: Partial<{ deletionProtection: boolean; dropInvalidHeaders: boolean; accessLogs: boolean }> = {}): { lb: Lb; group: SecurityGroup } {
  const group = new SecurityGroup(scope, `${id}_sg`, {
    vpcId: 'vpc-0123',
    ingress: [443, 80].map((port) => ({ protocol: 'tcp', fromPort: port, toPort: port, cidrBlocks: ['0.0.0.0/0'], ipv6CidrBlocks: ['::/0'] })),
    egress: [{ protocol: 'tcp', fromPort: 8080, toPort: 8080, cidrBlocks: ['10.10.0.0/16'] }],
  });
  const balancer = new Lb(scope, id, {
    loadBalancerType: 'application',
    securityGroups: [group.id],
    subnets: ['subnet-1', 'subnet-2'],
    enableDeletionProtection: lb.deletionProtection ?? true,
    dropInvalidHeaderFields: lb.dropInvalidHeaders ?? true,
    accessLogs: lb.accessLogs === false ? undefined : { bucket: 'acme-alb-logs', prefix: 'dev', enabled: true },
  });
  return { lb: balancer, group };
}

export interface ContainerOptions {
  readonly privileged?: boolean;
  readonly readonlyRootFilesystem?: boolean;
  readonly logging?: boolean;
  /** Write the definitions with Fn.jsonencode instead of JSON.stringify. */
  readonly jsonencode?: boolean;
}

export function taskDefinition(scope: Construct, id: string, options: ContainerOptions = {}): EcsTaskDefinition {
  const containers = [
    {
      name: 'api',
      image: '410987654321.dkr.ecr.eu-west-1.amazonaws.com/api@sha256:abc',
      essential: true,
      ...(options.privileged ? { privileged: true } : {}),
      readonlyRootFilesystem: options.readonlyRootFilesystem ?? true,
      ...(options.logging === false
        ? {}
        : { logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/dev/api', 'awslogs-region': 'eu-west-1', 'awslogs-stream-prefix': 'api' } } }),
    },
  ];
  return new EcsTaskDefinition(scope, id, {
    family: id,
    requiresCompatibilities: ['FARGATE'],
    networkMode: 'awsvpc',
    cpu: '256',
    memory: '512',
    containerDefinitions: options.jsonencode ? Fn.jsonencode(containers) : JSON.stringify(containers),
  });
}

export function service(scope: Construct, id: string, options: Partial<{ circuitBreaker: boolean; exec: boolean }> = {}): EcsService {
  return new EcsService(scope, id, {
    name: id,
    cluster: 'arn:aws:ecs:eu-west-1:510987654321:cluster/dev',
    taskDefinition: 'arn:aws:ecs:eu-west-1:510987654321:task-definition/api:1',
    desiredCount: 2,
    launchType: 'FARGATE',
    enableExecuteCommand: options.exec ?? false,
    deploymentCircuitBreaker: options.circuitBreaker === false ? undefined : { enable: true, rollback: true },
  });
}

export function secret(scope: Construct, id: string, options: Partial<{ kmsKeyId: string | null; rotation: boolean }> = {}): SecretsmanagerSecret {
  const s = new SecretsmanagerSecret(scope, id, { name: `/dev/${id}`, kmsKeyId: options.kmsKeyId === null ? undefined : (options.kmsKeyId ?? KEY_ARN) });
  if (options.rotation !== false) {
    new SecretsmanagerSecretRotation(scope, `${id}_rotation`, {
      secretId: s.id,
      rotationLambdaArn: 'arn:aws:lambda:eu-west-1:510987654321:function:rotate',
      rotationRules: { automaticallyAfterDays: 30 },
    });
  }
  return s;
}

export function kmsKey(scope: Construct, id: string, rotation = true): KmsKey {
  return new KmsKey(scope, id, { enableKeyRotation: rotation, description: id });
}

/** Minimum log retention of prod, read from the table the rule reads. */
export const PROD_MIN_RETENTION_DAYS = TIER_INVARIANTS.prod.logRetention.minDays;
