/**
 * VPC and Transit Gateway flow logs reach the archive: for every flow log of every synthesized
 * stack, the exact key log delivery writes (derived here from the flow log's own destination and
 * options, not from the policy code) is sent through a real IAM evaluator against the archive
 * bucket policy as synthesized, with the conditions AWS sets on the request.
 *
 * AWS documentation:
 * - key layout, with and without Hive-compatible prefixes:
 *   https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-path.html
 *   (`<prefix>/AWSLogs/aws-account-id=<id>/aws-service=vpcflowlogs/aws-region=<region>/year=<y>/month=<m>/day=<d>/hour=<h>/`
 *   with Hive prefixes and hourly partitions, `<prefix>/AWSLogs/<id>/vpcflowlogs/<region>/<y>/<m>/<d>/` without);
 * - the bucket policy log delivery needs (s3:PutObject with `s3:x-amz-acl` bucket-owner-full-control,
 *   `aws:SourceAccount` and `aws:SourceArn` arn:aws:logs:<region>:<account>:*; s3:GetBucketAcl):
 *   https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-s3-permissions.html
 * - Transit Gateway flow logs use the same delivery and layout:
 *   https://docs.aws.amazon.com/vpc/latest/tgw/flow-logs-s3.html
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { synthesize, stackJsonPath } from '../../tools/synth/synthesize';
import { parseJsonencode } from '../../modules/core/jsonencode-reader';
import { logArchiveBucketName } from '../../modules/core/shared-names';
import type { Platform } from '../../environments/load';
import { decide } from '../helpers/access';

type Json = Record<string, any>;
const DELIVERY = 'delivery.logs.amazonaws.com';

let outdir: string;
let platform: Platform;
let stacks: Record<string, Json>;

beforeAll(() => {
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'flow-log-delivery-'));
  const result = synthesize({ outdir });
  platform = result.platform;
  stacks = Object.fromEntries(result.stacks.map((stack) => [stack.name, JSON.parse(fs.readFileSync(stackJsonPath(result.outdir, stack.name), 'utf8'))]));
});

afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

/** Every flow log of the platform: stack, account and region it is delivered from, destination and options. */
function flowLogs(): { stack: string; account: string; region: string; destination: string; options: Json }[] {
  return Object.entries(stacks).flatMap(([stack, json]) =>
    Object.values((json.resource?.aws_flow_log ?? {}) as Record<string, Json>)
      .filter((flowLog) => flowLog.log_destination_type === 's3')
      .map((flowLog) => {
        const provider = json.provider.aws.find((candidate: Json) => candidate.alias === undefined);
        return {
          stack,
          account: provider.allowed_account_ids[0],
          region: provider.region,
          destination: flowLog.log_destination,
          options: [flowLog.destination_options ?? {}].flat()[0] ?? {},
        };
      }),
  );
}

/** The key of one delivered file, as AWS lays it out for these options. */
function deliveredKey(prefix: string, account: string, region: string, options: Json): string {
  const file = `${account}_vpcflowlogs_${region}_fl-0123456789abcdef0_20261204T1505Z_1a2b3c4d.log.${options.file_format === 'parquet' ? 'parquet' : 'gz'}`;
  const hour = options.per_hour_partition ? (options.hive_compatible_partitions ? 'hour=15/' : '15/') : '';
  const folders = options.hive_compatible_partitions
    ? `AWSLogs/aws-account-id=${account}/aws-service=vpcflowlogs/aws-region=${region}/year=2026/month=12/day=04/${hour}`
    : `AWSLogs/${account}/vpcflowlogs/${region}/2026/12/04/${hour}`;
  return `${prefix ? `${prefix}/` : ''}${folders}${file}`;
}

function archive(): { bucket: string; account: string; policy: Json } {
  const json = stacks['shared-log-archive'];
  const [name, bucket] = Object.entries(json.resource.aws_s3_bucket as Record<string, Json>).find(
    ([, candidate]) => candidate.bucket === logArchiveBucketName(platform.organization),
  )!;
  const [, policy] = Object.entries(json.resource.aws_s3_bucket_policy as Record<string, Json>).find(([, candidate]) =>
    String(candidate.bucket).includes(`aws_s3_bucket.${name}.`),
  )!;
  const text = String(policy.policy);
  const document = (text.startsWith('${jsonencode(') ? parseJsonencode(text) : JSON.parse(text)) as Json;
  // The only reference a bucket policy holds is its own bucket's ARN, known from the name.
  const resolved = JSON.parse(JSON.stringify(document).split(`\${aws_s3_bucket.${name}.arn}`).join(`arn:aws:s3:::${bucket.bucket}`));
  expect(JSON.stringify(resolved)).not.toMatch(/\$\{/);
  return { bucket: bucket.bucket, account: json.provider.aws[0].allowed_account_ids[0], policy: resolved };
}

function put(key: string, account: string, region: string, overrides: Record<string, string> = {}) {
  const { bucket, account: bucketAccount, policy } = archive();
  return decide({
    principal: DELIVERY,
    action: 's3:PutObject',
    resource: `arn:aws:s3:::${bucket}/${key}`,
    resourceAccount: bucketAccount,
    resourcePolicy: policy,
    context: {
      'aws:SourceAccount': account,
      'aws:SourceArn': `arn:aws:logs:${region}:${account}:*`,
      's3:x-amz-acl': 'bucket-owner-full-control',
      'aws:SecureTransport': 'true',
      ...overrides,
    },
  });
}

describe('flow logs reach the archive bucket (iam-simulate over the synthesized bucket policy)', () => {
  it('finds a flow log per network stack and the Transit Gateway flow log, all to the archive', () => {
    const logs = flowLogs();
    expect(logs.map((log) => log.stack).sort()).toEqual(['dev-network', 'prod-network', 'shared-network', 'shared-network-hub', 'staging-network']);
    for (const log of logs) expect(log.destination).toMatch(new RegExp(`^arn:aws:s3:::${archive().bucket}/`));
  });

  it('uses Hive-compatible hourly partitions (the layout the keys below follow)', () => {
    for (const log of flowLogs()) expect(log.options).toMatchObject({ hive_compatible_partitions: true, per_hour_partition: true });
  });

  it('lets log delivery write the exact key of every flow log', async () => {
    for (const log of flowLogs()) {
      const prefix = log.destination.replace(/^arn:aws:s3:::[^/]+\/?/, '').replace(/\/$/, '');
      const key = deliveredKey(prefix, log.account, log.region, log.options);
      expect([log.stack, key, await put(key, log.account, log.region)]).toEqual([log.stack, key, 'Allowed']);
    }
  });

  it('lets log delivery check the bucket ACL for every delivering account', async () => {
    const { bucket, account, policy } = archive();
    for (const log of flowLogs()) {
      const decision = await decide({
        principal: DELIVERY,
        action: 's3:GetBucketAcl',
        resource: `arn:aws:s3:::${bucket}`,
        resourceAccount: account,
        resourcePolicy: policy,
        context: { 'aws:SourceAccount': log.account, 'aws:SourceArn': `arn:aws:logs:${log.region}:${log.account}:*`, 'aws:SecureTransport': 'true' },
      });
      expect([log.stack, decision]).toEqual([log.stack, 'Allowed']);
    }
  });

  describe('and nothing else', () => {
    const dev = () => flowLogs().find((log) => log.stack === 'dev-network')!;
    const prod = () => flowLogs().find((log) => log.stack === 'prod-network')!;
    const keyOf = (log: ReturnType<typeof dev>, account = log.account) =>
      deliveredKey(log.destination.replace(/^arn:aws:s3:::[^/]+\//, ''), account, log.region, log.options);

    it('denies one account writing below another environment prefix', async () => {
      expect(await put(keyOf(prod(), dev().account), dev().account, dev().region)).not.toBe('Allowed');
    });

    it('denies a delivery that does not hand the bucket owner full control', async () => {
      expect(await put(keyOf(dev()), dev().account, dev().region, { 's3:x-amz-acl': 'private' })).not.toBe('Allowed');
    });

    it('denies a delivery on behalf of another account (confused deputy)', async () => {
      expect(await put(keyOf(dev()), dev().account, dev().region, { 'aws:SourceArn': 'arn:aws:logs:eu-west-1:999999999999:*' })).not.toBe('Allowed');
    });

    it('denies the layout without Hive prefixes (the policy follows the configured layout)', async () => {
      const log = dev();
      const key = deliveredKey(log.destination.replace(/^arn:aws:s3:::[^/]+\//, ''), log.account, log.region, { ...log.options, hive_compatible_partitions: false });
      expect(await put(key, log.account, log.region)).not.toBe('Allowed');
    });
  });
});
