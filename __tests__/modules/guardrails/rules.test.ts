/** Every rule: constructs that violate it and constructs that pass it. */
import { Fn } from 'cdktf';
import type { Construct } from 'constructs';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { SecurityGroupRule } from '@cdktf/provider-aws/lib/security-group-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository';
import { EcrRepositoryPolicy } from '@cdktf/provider-aws/lib/ecr-repository-policy';
import { EcrRegistryScanningConfiguration } from '@cdktf/provider-aws/lib/ecr-registry-scanning-configuration';
import { LbListener } from '@cdktf/provider-aws/lib/lb-listener';
import { Lb } from '@cdktf/provider-aws/lib/lb';
import { Cloudtrail } from '@cdktf/provider-aws/lib/cloudtrail';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { SecretsmanagerSecretPolicy } from '@cdktf/provider-aws/lib/secretsmanager-secret-policy';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { DbInstance } from '@cdktf/provider-aws/lib/db-instance';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { DataAwsKmsAlias } from '@cdktf/provider-aws/lib/data-aws-kms-alias';
import { Ec2TransitGatewayVpcAttachment } from '@cdktf/provider-aws/lib/ec2-transit-gateway-vpc-attachment';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { ALL_RULES, RECOMMENDED_TLS_POLICY, TIER_INVARIANTS, checkStack, type GuardrailRule, type StackReport } from '../../../modules/guardrails';
import { newTestStack } from '../../helpers/platform';
import * as f from './fixtures';

type Build = (scope: Construct) => void;
interface RuleCases {
  readonly id: string;
  /** Environment of the test stack. @default 'dev' */
  readonly env?: string;
  readonly passes: Readonly<Record<string, Build>>;
  readonly fails: Readonly<Record<string, readonly [Build, RegExp]>>;
}

const rule = (id: string): GuardrailRule => {
  const found = ALL_RULES.find((r) => r.id === id);
  if (!found) throw new Error(`no rule ${id}`);
  return found;
};

function run(id: string, env: string, build: Build): StackReport {
  const stack = newTestStack(env);
  build(stack);
  return checkStack(stack, [rule(id)]);
}

const openIngress = (cidr: string, port: number) => (s: Construct) =>
  new SecurityGroup(s, 'app_sg', { vpcId: 'vpc-1', ingress: [{ protocol: 'tcp', fromPort: port, toPort: port, cidrBlocks: cidr.includes(':') ? undefined : [cidr], ipv6CidrBlocks: cidr.includes(':') ? [cidr] : undefined }] });
const adminPolicy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
const scopedPolicy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: 'arn:aws:s3:::acme-x/*' }] };
const trail = (props: Partial<{ multiRegion: boolean; validation: boolean; kms: boolean; kmsKeyId: string }>) => (s: Construct) =>
  new Cloudtrail(s, 'trail', {
    name: 'org',
    s3BucketName: 'acme-trail',
    isMultiRegionTrail: props.multiRegion ?? true,
    enableLogFileValidation: props.validation ?? true,
    kmsKeyId: props.kms === false ? undefined : (props.kmsKeyId ?? f.KEY_ARN),
  });
const dynamoTable = (kmsKeyArn: (s: Construct) => string) => (s: Construct) =>
  new DynamodbTable(s, 'jobs', { name: 'jobs', hashKey: 'id', billingMode: 'PAY_PER_REQUEST', attribute: [{ name: 'id', type: 'S' }], serverSideEncryption: { enabled: true, kmsKeyArn: kmsKeyArn(s) } });
const tgwAttachment = (flags: Partial<{ association: boolean; propagation: boolean }>) => (s: Construct) =>
  new Ec2TransitGatewayVpcAttachment(s, 'attachment', {
    transitGatewayId: 'tgw-0hub',
    vpcId: 'vpc-1',
    subnetIds: ['subnet-1'],
    transitGatewayDefaultRouteTableAssociation: flags.association,
    transitGatewayDefaultRouteTablePropagation: flags.propagation,
  });
const conditionPolicy = (condition: Record<string, unknown>) => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: 'arn:aws:s3:::acme-x/*', Condition: condition }],
});
const listener = (props: { protocol: string; sslPolicy?: string; redirect?: boolean }) => (s: Construct) => {
  const { lb } = f.alb(s, 'alb');
  new LbListener(s, `listener_${props.protocol.toLowerCase()}`, {
    loadBalancerArn: lb.arn,
    protocol: props.protocol,
    port: props.protocol === 'HTTP' ? 80 : 443,
    sslPolicy: props.sslPolicy,
    certificateArn: props.protocol === 'HTTPS' ? 'arn:aws:acm:eu-west-1:510987654321:certificate/x' : undefined,
    defaultAction: [
      props.redirect
        ? { type: 'redirect', redirect: { protocol: 'HTTPS', port: '443', statusCode: 'HTTP_301' } }
        : { type: 'fixed-response', fixedResponse: { contentType: 'text/plain', statusCode: '404' } },
    ],
  });
};

const CASES: readonly RuleCases[] = [
  {
    id: 'PLAT-S3-1',
    passes: { 'SSE-KMS': (s) => f.bucket(s, 'logs'), 'SSE-S3': (s) => f.bucket(s, 'alb_logs', { encryption: 'AES256' }) },
    fails: { 'no encryption configuration': [(s) => f.bucket(s, 'logs', { encryption: false }), /has no server-side encryption configuration/] },
  },
  {
    id: 'PLAT-S3-2',
    passes: { 'versioning Enabled': (s) => f.bucket(s, 'logs') },
    fails: { 'no versioning resource': [(s) => f.bucket(s, 'logs', { versioning: false }), /no aws_s3_bucket_versioning with status "Enabled"/] },
  },
  {
    id: 'PLAT-S3-3',
    passes: { 'all four settings': (s) => f.bucket(s, 'logs') },
    fails: {
      'no public access block': [(s) => f.bucket(s, 'logs', { publicAccessBlock: false }), /has no aws_s3_bucket_public_access_block/],
      'one setting false': [(s) => f.bucket(s, 'logs', { publicAccessBlock: 'partial' }), /leaves ignore_public_acls not true/],
    },
  },
  {
    id: 'PLAT-S3-4',
    passes: {
      'Fn.jsonencode deny': (s) => f.bucket(s, 'logs'),
      'JSON.stringify deny': (s) => f.bucket(s, 'logs', { policy: (arn) => JSON.stringify({ Statement: [f.tlsDeny(arn)] }) }),
      'aws_iam_policy_document deny': (s) =>
        f.bucket(s, 'logs', {
          policy: (arn) =>
            new DataAwsIamPolicyDocument(s, 'tls_only', {
              statement: [
                {
                  effect: 'Deny',
                  actions: ['s3:*'],
                  resources: [arn, `${arn}/*`],
                  principals: [{ type: 'AWS', identifiers: ['*'] }],
                  condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
                },
              ],
            }).json,
        }),
    },
    fails: {
      'no policy': [(s) => f.bucket(s, 'logs', { policy: 'none' }), /has no bucket policy denying insecure transport/],
      'policy without the deny': [(s) => f.bucket(s, 'logs', { policy: 'allow-only' }), /no Deny on aws:SecureTransport = false/],
      'unreadable policy': [(s) => f.bucket(s, 'logs', { policy: () => '${file("policy.json")}' }), /cannot be read at synth time/],
    },
  },
  {
    id: 'PLAT-KMS-1',
    passes: { 'rotation on': (s) => f.kmsKey(s, 'key') },
    fails: { 'rotation off': [(s) => f.kmsKey(s, 'key', false), /enable_key_rotation is not true/] },
  },
  {
    id: 'PLAT-LOGS-1',
    passes: { '30 days': (s) => new CloudwatchLogGroup(s, 'logs', { name: '/dev/api', retentionInDays: 30, kmsKeyId: f.KEY_ARN }) },
    fails: {
      'unset': [(s) => new CloudwatchLogGroup(s, 'logs', { name: '/dev/api', kmsKeyId: f.KEY_ARN }), /retention_in_days is not set/],
      'never expire': [(s) => new CloudwatchLogGroup(s, 'logs', { name: '/dev/api', retentionInDays: 0, kmsKeyId: f.KEY_ARN }), /retention_in_days is 0/],
    },
  },
  {
    id: 'PLAT-LOGS-2',
    passes: { 'kms key': (s) => new CloudwatchLogGroup(s, 'logs', { name: '/dev/api', retentionInDays: 30, kmsKeyId: f.KEY_ARN }) },
    fails: { 'no key': [(s) => new CloudwatchLogGroup(s, 'logs', { name: '/dev/api', retentionInDays: 30 }), /kms_key_id is not set/] },
  },
  {
    id: 'PLAT-SNS-1',
    passes: { 'kms key': (s) => new SnsTopic(s, 'alerts', { name: 'alerts', kmsMasterKeyId: f.KEY_ARN }) },
    fails: { 'no key': [(s) => new SnsTopic(s, 'alerts', { name: 'alerts' }), /kms_master_key_id is not set/] },
  },
  {
    id: 'PLAT-SG-1',
    passes: {
      'VPC range': openIngress('10.10.0.0/16', 8080),
      'ALB group attached to an aws_lb, 80/443': (s) => f.alb(s, 'alb'),
      'tagged ALB group with standalone rule': (s) => {
        const sg = new SecurityGroup(s, 'alb_sg', { vpcId: 'vpc-1', tags: { exposure: 'public-alb' } });
        new VpcSecurityGroupIngressRule(s, 'alb_https', { securityGroupId: sg.id, ipProtocol: 'tcp', fromPort: 443, toPort: 443, cidrIpv4: '0.0.0.0/0' });
      },
    },
    fails: {
      'app group from 0.0.0.0/0': [openIngress('0.0.0.0/0', 8080), /ingress tcp 8080-8080 from 0.0.0.0\/0 \(not an internet-facing ALB group\)/],
      'app group from ::/0': [openIngress('::/0', 443), /from ::\/0 \(not an internet-facing ALB group\)/],
      'ALB group on 22': [
        (s) => {
          const { group } = f.alb(s, 'alb');
          new SecurityGroupRule(s, 'alb_ssh', { type: 'ingress', securityGroupId: group.id, protocol: 'tcp', fromPort: 22, toPort: 22, cidrBlocks: ['0.0.0.0/0'] });
        },
        /ingress tcp 22-22 from 0.0.0.0\/0 \(an ALB group may open only tcp 80\/443\)/,
      ],
      'internal ALB': [
        (s) => {
          const sg = new SecurityGroup(s, 'alb_sg', { vpcId: 'vpc-1', ingress: [{ protocol: 'tcp', fromPort: 443, toPort: 443, cidrBlocks: ['0.0.0.0/0'] }] });
          new Lb(s, 'alb', { internal: true, securityGroups: [sg.id], subnets: ['subnet-1'] });
        },
        /not an internet-facing ALB group/,
      ],
    },
  },
  {
    id: 'PLAT-SG-2',
    passes: {
      'named ports': (s) => f.alb(s, 'alb'),
      'egress 443': (s) => new VpcSecurityGroupEgressRule(s, 'https_out', { securityGroupId: 'sg-1', ipProtocol: 'tcp', fromPort: 443, toPort: 443, cidrIpv4: '0.0.0.0/0' }),
    },
    fails: {
      'all protocols egress': [
        (s) => new SecurityGroup(s, 'app_sg', { vpcId: 'vpc-1', egress: [{ protocol: '-1', fromPort: 0, toPort: 0, cidrBlocks: ['0.0.0.0/0'] }] }),
        /egress all protocols all ports to 0.0.0.0\/0 covers every port/,
      ],
      'tcp 0-65535 ingress': [
        (s) => new SecurityGroupRule(s, 'wide', { type: 'ingress', securityGroupId: 'sg-1', protocol: 'tcp', fromPort: 0, toPort: 65535, cidrBlocks: ['10.0.0.0/8'] }),
        /ingress tcp 0-65535 from 10.0.0.0\/8 covers every port/,
      ],
      'ip_protocol -1': [
        (s) => new VpcSecurityGroupIngressRule(s, 'all_in', { securityGroupId: 'sg-1', ipProtocol: '-1', cidrIpv4: '10.0.0.0/8' }),
        /ingress all protocols all ports/,
      ],
    },
  },
  {
    id: 'PLAT-SG-3',
    passes: { 'adopted without rules': (s) => f.vpc(s, 'vpc') },
    fails: {
      'not adopted': [(s) => f.vpc(s, 'vpc', { defaultSecurityGroup: 'absent' }), /has no aws_default_security_group/],
      'inline rule': [(s) => f.vpc(s, 'vpc', { defaultSecurityGroup: 'open' }), /declares 1 inline rule/],
      'rule added to the default group': [
        (s) => {
          const v = f.vpc(s, 'vpc');
          new SecurityGroupRule(s, 'extra', { type: 'ingress', securityGroupId: v.defaultSecurityGroupId, protocol: 'tcp', fromPort: 443, toPort: 443, cidrBlocks: ['10.0.0.0/8'] });
        },
        /aws_security_group_rule.extra adds a rule to its default security group/,
      ],
    },
  },
  {
    id: 'PLAT-VPC-1',
    passes: { 'flow log': (s) => f.vpc(s, 'vpc') },
    fails: { 'no flow log': [(s) => f.vpc(s, 'vpc', { flowLog: false }), /has no aws_flow_log/] },
  },
  {
    id: 'PLAT-ECR-1',
    passes: { immutable: (s) => new EcrRepository(s, 'api', { name: 'api', imageTagMutability: 'IMMUTABLE' }) },
    fails: { 'mutable by default': [(s) => new EcrRepository(s, 'api', { name: 'api' }), /image_tag_mutability is MUTABLE/] },
  },
  {
    id: 'PLAT-ECR-2',
    passes: {
      'scan on push': (s) => new EcrRepository(s, 'api', { name: 'api', imageScanningConfiguration: { scanOnPush: true } }),
      'registry-wide rule': (s) => {
        new EcrRepository(s, 'api', { name: 'api' });
        new EcrRegistryScanningConfiguration(s, 'scanning', { scanType: 'ENHANCED', rule: [{ scanFrequency: 'CONTINUOUS_SCAN', repositoryFilter: [{ filter: '*', filterType: 'WILDCARD' }] }] });
      },
    },
    fails: { 'no scanning': [(s) => new EcrRepository(s, 'api', { name: 'api' }), /scan_on_push is not true/] },
  },
  {
    id: 'PLAT-ECS-1',
    passes: { 'not privileged': (s) => f.taskDefinition(s, 'api') },
    fails: {
      privileged: [(s) => f.taskDefinition(s, 'api', { privileged: true }), /container "api" is privileged/],
      'privileged, Fn.jsonencode': [(s) => f.taskDefinition(s, 'api', { privileged: true, jsonencode: true }), /container "api" is privileged/],
    },
  },
  {
    id: 'PLAT-ECS-2',
    passes: { 'read-only root': (s) => f.taskDefinition(s, 'api'), 'read-only root, Fn.jsonencode': (s) => f.taskDefinition(s, 'api', { jsonencode: true }) },
    fails: { 'writable root': [(s) => f.taskDefinition(s, 'api', { readonlyRootFilesystem: false }), /container "api" has no readonlyRootFilesystem: true/] },
  },
  {
    id: 'PLAT-ECS-3',
    passes: { awslogs: (s) => f.taskDefinition(s, 'api') },
    fails: { 'no log configuration': [(s) => f.taskDefinition(s, 'api', { logging: false }), /container "api" has no logConfiguration.logDriver/] },
  },
  {
    id: 'PLAT-ELB-1',
    passes: {
      'HTTPS modern policy': listener({ protocol: 'HTTPS', sslPolicy: RECOMMENDED_TLS_POLICY }),
      'HTTP redirect to HTTPS': listener({ protocol: 'HTTP', redirect: true }),
    },
    fails: {
      'HTTPS old policy': [listener({ protocol: 'HTTPS', sslPolicy: 'ELBSecurityPolicy-2016-08' }), /HTTPS listener uses ssl_policy ELBSecurityPolicy-2016-08, not a modern TLS policy/],
      'HTTPS default policy': [listener({ protocol: 'HTTPS' }), /provider default/],
      'HTTP serving': [listener({ protocol: 'HTTP' }), /HTTP listener does not only redirect to HTTPS/],
    },
  },
  {
    id: 'PLAT-ELB-2',
    passes: { dropping: (s) => f.alb(s, 'alb') },
    fails: { 'not dropping': [(s) => f.alb(s, 'alb', { dropInvalidHeaders: false }), /drop_invalid_header_fields is not true/] },
  },
  {
    id: 'PLAT-ELB-3',
    passes: { 'access logs on': (s) => f.alb(s, 'alb') },
    fails: { 'no access logs': [(s) => f.alb(s, 'alb', { accessLogs: false }), /access_logs are not enabled with a bucket/] },
  },
  {
    id: 'PLAT-TRAIL-1',
    passes: { 'multi-region': trail({}) },
    fails: { 'single region': [trail({ multiRegion: false }), /is_multi_region_trail is not true/] },
  },
  {
    id: 'PLAT-TRAIL-2',
    passes: { validation: trail({}) },
    fails: { 'no validation': [trail({ validation: false }), /enable_log_file_validation is not true/] },
  },
  {
    id: 'PLAT-TRAIL-3',
    passes: { kms: trail({}) },
    fails: { 'no kms': [trail({ kms: false }), /kms_key_id is not set/] },
  },
  {
    id: 'PLAT-DRIFT-1',
    passes: {
      'trail with the key ARN': trail({}),
      'table with the key ARN behind an alias (target_key_arn)': dynamoTable((s) => new DataAwsKmsAlias(s, 'jobs_key', { name: 'alias/jobs' }).targetKeyArn),
      'ECR repository with the key ARN': (s) => new EcrRepository(s, 'api', { name: 'api', encryptionConfiguration: [{ encryptionType: 'KMS', kmsKey: f.KEY_ARN }] }),
    },
    fails: {
      'trail with an alias ARN': [trail({ kmsKeyId: 'arn:aws:kms:eu-west-1:310987654321:alias/acme-log-archive' }), /kms_key_id names the key by an alias \(arn:aws:kms:eu-west-1:310987654321:alias\/acme-log-archive\); AWS reads back the key ARN/],
      'database with an alias name': [
        (s) => new DbInstance(s, 'db', { instanceClass: 'db.t4g.micro', engine: 'postgres', allocatedStorage: 20, storageEncrypted: true, kmsKeyId: 'alias/db' }),
        /kms_key_id names the key by an alias \(alias\/db\)/,
      ],
      'table with a reference to the alias ARN': [
        dynamoTable((s) => new KmsAlias(s, 'jobs_alias', { name: 'alias/jobs', targetKeyId: 'k' }).arn),
        /server_side_encryption.kms_key_arn names the key by an alias \(\$\{aws_kms_alias.jobs_alias.arn\}\)/,
      ],
      'ECR repository with an alias ARN': [
        (s) => new EcrRepository(s, 'api', { name: 'api', encryptionConfiguration: [{ encryptionType: 'KMS', kmsKey: 'arn:aws:kms:eu-west-1:410987654321:alias/ecr' }] }),
        /encryption_configuration.kms_key names the key by an alias/,
      ],
    },
  },
  {
    id: 'PLAT-DRIFT-2',
    passes: {
      'same-account gateway, both false': tgwAttachment({ association: false, propagation: false }),
      'gateway shared through RAM, both true': tgwAttachment({ association: true, propagation: true }),
    },
    fails: {
      'neither set': [tgwAttachment({}), /transit_gateway_default_route_table_association is not set[\s\S]*transit_gateway_default_route_table_propagation is not set/],
      'propagation left to the default': [tgwAttachment({ association: false }), /transit_gateway_default_route_table_propagation is not set \(defaults to true; AWS may read back false\)/],
    },
  },
  {
    id: 'PLAT-DRIFT-3',
    passes: {
      'string values (SecureBucket TLS deny)': (s) => f.bucket(s, 'logs'),
      'string number in a key policy': (s) => new KmsKey(s, 'key', { enableKeyRotation: true, policy: Fn.jsonencode(conditionPolicy({ NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' } })) }),
    },
    fails: {
      'JSON boolean in a bucket policy': [
        (s) => new S3BucketPolicy(s, 'tls', { bucket: 'acme-x', policy: JSON.stringify(conditionPolicy({ Bool: { 'aws:SecureTransport': false } })) }),
        /policy condition Bool aws:SecureTransport has false \(not a string\); AWS reads back "false"/,
      ],
      'JSON number in a role policy (Fn.jsonencode)': [
        (s) => new IamRolePolicy(s, 'mfa', { role: 'api', policy: Fn.jsonencode(conditionPolicy({ NumericLessThan: { 'aws:MultiFactorAuthAge': 3600 } })) }),
        /policy condition NumericLessThan aws:MultiFactorAuthAge has 3600 \(not a string\)/,
      ],
    },
  },
  {
    id: 'PLAT-IAM-1',
    passes: {
      'scoped aws_iam_policy': (s) => new IamPolicy(s, 'read', { name: 'read', policy: JSON.stringify(scopedPolicy) }),
      'scoped inline role policy': (s) => new IamRolePolicy(s, 'read', { role: 'api', policy: Fn.jsonencode(scopedPolicy) }),
    },
    fails: {
      'aws_iam_policy * on *': [(s) => new IamPolicy(s, 'admin', { name: 'admin', policy: JSON.stringify(adminPolicy) }), /policy allows \* on \*/],
      'role policy * on *, Fn.jsonencode': [(s) => new IamRolePolicy(s, 'admin', { role: 'api', policy: Fn.jsonencode(adminPolicy) }), /policy allows \* on \*/],
      'NotAction on *': [
        (s) => new IamPolicy(s, 'almost_admin', { name: 'x', policy: JSON.stringify({ Statement: [{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }] }) }),
        /allows \* on \*/,
      ],
      'inline_policy of a role': [
        (s) => new IamRole(s, 'api', { assumeRolePolicy: JSON.stringify({ Statement: [] }), inlinePolicy: [{ name: 'everything', policy: JSON.stringify(adminPolicy) }] }),
        /inline policy "everything" allows \* on \*/,
      ],
      'AdministratorAccess attached': [
        (s) => new IamRolePolicyAttachment(s, 'admin', { role: 'api', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }),
        /attaches arn:aws:iam::aws:policy\/AdministratorAccess/,
      ],
    },
  },
  {
    id: 'PLAT-IAM-2',
    passes: {
      'TLS deny with principal *': (s) => f.bucket(s, 'logs'),
      'principal * with org condition': (s) =>
        new SnsTopicPolicy(s, 'alerts', {
          arn: 'arn:aws:sns:eu-west-1:510987654321:alerts',
          policy: JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sns:Publish', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalOrgID': f.ORG_ID } } }] }),
        }),
      'service trust policy': (s) => new IamRole(s, 'task', { assumeRolePolicy: JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }] }) }),
    },
    fails: {
      'ECR repository policy open to *': [
        (s) => new EcrRepositoryPolicy(s, 'api', { repository: 'api', policy: JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: '*', Action: ['ecr:BatchGetImage'] }] }) }),
        /policy allows ecr:BatchGetImage to principal \* with no condition/,
      ],
      'secret policy AWS * (Fn.jsonencode)': [
        (s) => new SecretsmanagerSecretPolicy(s, 'db', { secretArn: 'arn:x', policy: Fn.jsonencode({ Statement: [{ Effect: 'Allow', Principal: { AWS: ['*'] }, Action: 'secretsmanager:GetSecretValue', Resource: '*' }] }) }),
        /principal \* with no condition/,
      ],
      'KMS key policy *': [
        (s) => new KmsKey(s, 'key', { enableKeyRotation: true, policy: JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:*', Resource: '*' }] }) }),
        /policy allows kms:\* to principal \*/,
      ],
      'SQS queue policy *': [
        (s) => new SqsQueue(s, 'jobs', { policy: JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: '*', Action: 'sqs:SendMessage', Resource: '*' }] }) }),
        /sqs:SendMessage to principal \*/,
      ],
      'role anyone may assume': [
        (s) => new IamRole(s, 'open', { assumeRolePolicy: JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' }] }) }),
        /assume_role_policy allows sts:AssumeRole to principal \*/,
      ],
    },
  },
  {
    id: 'PLAT-SM-1',
    passes: { 'customer key': (s) => f.secret(s, 'db') },
    fails: {
      'no key': [(s) => f.secret(s, 'db', { kmsKeyId: null }), /kms_key_id is not set/],
      'AWS managed key': [(s) => f.secret(s, 'db', { kmsKeyId: 'alias/aws/secretsmanager' }), /AWS managed key/],
    },
  },
  {
    id: 'PLAT-SM-2',
    passes: { rotation: (s) => f.secret(s, 'db') },
    fails: { 'no rotation': [(s) => f.secret(s, 'db', { rotation: false }), /has no aws_secretsmanager_secret_rotation/] },
  },
  {
    id: 'PLAT-TAG-1',
    passes: {
      'default provider default_tags': (s) => new S3Bucket(s, 'b', { bucket: 'acme-b' }),
      'untagged provider, tags on the resource': (s) => {
        const bare = new AwsProvider(s, 'bare', { alias: 'bare', region: 'eu-west-1' });
        new S3Bucket(s, 'b', { provider: bare, bucket: 'acme-b', tags: { environment: 'dev', owner: 'me', 'cost-center': 'cc-1', 'managed-by': 'cdktf' } });
      },
    },
    fails: {
      'provider without default_tags': [
        (s) => {
          const bare = new AwsProvider(s, 'bare', { alias: 'bare', region: 'eu-west-1' });
          new S3Bucket(s, 'b', { provider: bare, bucket: 'acme-b', tags: { owner: 'me' } });
        },
        /missing tags environment, cost-center, managed-by \(neither on the resource nor in provider aws.bare default_tags\)/,
      ],
    },
  },
  {
    id: 'PLAT-TIER-1',
    env: 'prod',
    passes: { 'NAT in both zones': (s) => f.vpc(s, 'vpc', { natZones: ['eu-west-1a', 'eu-west-1b'] }) },
    fails: {
      'single NAT': [(s) => f.vpc(s, 'vpc', { natZones: ['eu-west-1a'] }), /prod \(tier prod\) requires natPerAz: no NAT gateway in eu-west-1b/],
      'no NAT': [(s) => f.vpc(s, 'vpc'), /no NAT gateway in eu-west-1a, eu-west-1b/],
    },
  },
  {
    id: 'PLAT-TIER-2',
    env: 'prod',
    passes: { protected: (s) => f.alb(s, 'alb') },
    fails: { unprotected: [(s) => f.alb(s, 'alb', { deletionProtection: false }), /prod \(tier prod\) requires loadBalancerDeletionProtection: enable_deletion_protection is not true/] },
  },
  {
    id: 'PLAT-TIER-3',
    env: 'prod',
    passes: { 'prod minimum': (s) => new CloudwatchLogGroup(s, 'logs', { name: '/prod/api', retentionInDays: f.PROD_MIN_RETENTION_DAYS, kmsKeyId: f.KEY_ARN }) },
    fails: {
      'too short for prod': [
        (s) => new CloudwatchLogGroup(s, 'logs', { name: '/prod/api', retentionInDays: 90, kmsKeyId: f.KEY_ARN }),
        new RegExp(`prod \\(tier prod\\) requires logRetention of at least ${f.PROD_MIN_RETENTION_DAYS} days: retention_in_days is 90`),
      ],
    },
  },
  {
    id: 'PLAT-TIER-4',
    env: 'prod',
    passes: { 'circuit breaker with rollback': (s) => f.service(s, 'api') },
    fails: { 'no circuit breaker': [(s) => f.service(s, 'api', { circuitBreaker: false }), /prod \(tier prod\) requires deploymentCircuitBreaker/] },
  },
  {
    id: 'PLAT-TIER-5',
    env: 'prod',
    passes: { 'exec off': (s) => f.service(s, 'api') },
    fails: { 'exec on': [(s) => f.service(s, 'api', { exec: true }), /prod \(tier prod\) requires ecsExecOff: enable_execute_command is true/] },
  },
  {
    id: 'PLAT-TIER-6',
    env: 'prod',
    passes: {
      'SSE-KMS bucket': (s) => f.bucket(s, 'logs'),
      'KMS repository': (s) => new EcrRepository(s, 'api', { name: 'api', encryptionConfiguration: [{ encryptionType: 'KMS', kmsKey: f.KEY_ARN }] }),
    },
    fails: {
      'SSE-S3 bucket': [(s) => f.bucket(s, 'logs', { encryption: 'AES256' }), /prod \(tier prod\) requires kmsEverywhere: encryption is AES256, not aws:kms/],
      'AES256 repository': [(s) => new EcrRepository(s, 'api', { name: 'api' }), /encryption_type is not KMS/],
      'unencrypted queue': [(s) => new SqsQueue(s, 'jobs', {}), /kms_master_key_id is not set/],
    },
  },
];

describe('every rule has cases', () => {
  test('each rule of ALL_RULES is covered by a pass and a fail case', () => {
    expect(CASES.map((c) => c.id).sort()).toEqual(ALL_RULES.map((r) => r.id).sort());
    for (const c of CASES) {
      expect(Object.keys(c.passes).length).toBeGreaterThan(0);
      expect(Object.keys(c.fails).length).toBeGreaterThan(0);
    }
  });

  test.each(ALL_RULES.map((r) => [r.id, r] as const))('%s is named after its file and documented', (_id, r) => {
    expect(r.id).toMatch(/^PLAT-[A-Z0-9]+-\d+$/);
    expect(require.resolve(`../../../modules/guardrails/rules/${r.name}`)).toBeTruthy();
    expect([r.info, r.explanation, r.fix].every((text) => text.length > 10)).toBe(true);
  });
});

describe.each(CASES.map((c) => [c.id, c] as const))('%s', (id, c) => {
  const env = c.env ?? 'dev';
  test.each(Object.entries(c.passes))('passes: %s', (_situation, build) => {
    const report = run(id, env, build);
    expect(report.findings).toEqual([]);
    expect(report.passed).toBeGreaterThan(0);
  });
  test.each(Object.entries(c.fails).map(([situation, [build, message]]) => [situation, build, message] as const))('fails: %s', (_situation, build, message) => {
    const report = run(id, env, build);
    expect(report.findings.length).toBeGreaterThan(0);
    expect(report.findings.every((finding) => finding.ruleId === id)).toBe(true);
    expect(report.findings.map((finding) => finding.message).join('\n')).toMatch(message);
    expect(report.failed + report.warned).toBeGreaterThan(0);
  });
});

describe('tier invariants are looser below prod', () => {
  const invariantCases: readonly [string, keyof typeof TIER_INVARIANTS.prod, Build][] = [
    ['PLAT-TIER-1', 'natPerAz', (s) => f.vpc(s, 'vpc', { natZones: ['eu-west-1a'] })],
    ['PLAT-TIER-2', 'loadBalancerDeletionProtection', (s) => f.alb(s, 'alb', { deletionProtection: false })],
    ['PLAT-TIER-5', 'ecsExecOff', (s) => f.service(s, 'api', { exec: true })],
    ['PLAT-TIER-6', 'kmsEverywhere', (s) => f.bucket(s, 'logs', { encryption: 'AES256' })],
  ];
  test.each(invariantCases)('%s (%s) follows TIER_INVARIANTS in dev, staging and prod', (id, setting, build) => {
    for (const env of ['dev', 'staging', 'prod'] as const) {
      const level = TIER_INVARIANTS[env][setting] as string;
      const report = run(id, env, build);
      if (level === 'off') expect(report.checks).toBe(0);
      else expect(report.findings.map((x) => x.level)).toEqual([level]);
    }
    expect(TIER_INVARIANTS.prod[setting]).toBe('error');
  });

  test('the retention minimum grows with the tier', () => {
    const days = (['dev', 'staging', 'prod'] as const).map((tier) => TIER_INVARIANTS[tier].logRetention.minDays);
    expect(days).toEqual([...days].sort((a, b) => a - b));
    expect(TIER_INVARIANTS.prod.logRetention.minDays).toBeGreaterThanOrEqual(365);
    const report = run('PLAT-TIER-3', 'dev', (s) => new CloudwatchLogGroup(s, 'logs', { name: '/dev/api', retentionInDays: 90, kmsKeyId: f.KEY_ARN }));
    expect(report.findings).toEqual([]);
  });
});
