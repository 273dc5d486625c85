import { Testing } from 'cdktf';
import { Construct } from 'constructs';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { LayerStack } from '../../stacks/layer-stack';
import { newTestStack, shippedPlatform, synthJson } from '../helpers/platform';

describe('LayerStack', () => {
  describe('remote state', () => {
    const json = synthJson(newTestStack('dev', 'network'));
    const backend = json.terraform.backend.s3;

    it('keeps state in the tooling account bucket under <env>/<layer>.tfstate', () => {
      expect(backend).toMatchObject({ bucket: 'acme-platform-terraform-state', key: 'dev/network.tfstate', region: 'eu-west-1', encrypt: true });
    });

    it('encrypts state with the state key, not SSE-S3', () => {
      // Terraform's S3 backend sends AES256 (SSE-S3) unless kms_key_id is set, whatever the bucket's default encryption.
      expect(backend.kms_key_id).toBe('arn:aws:kms:eu-west-1:410987654321:alias/platform/terraform-state');
    });

    it("locks natively in S3 and writes with its environment's state role", () => {
      expect(backend.use_lockfile).toBe(true);
      expect(backend.dynamodb_table).toBeUndefined();
      expect(backend.assume_role).toEqual({ role_arn: 'arn:aws:iam::410987654321:role/platform-state-dev', session_name: 'state-dev-network' });
    });

    it("reads another stack's state with the read-only state role", () => {
      const app = Testing.app();
      const platform = shippedPlatform();
      const producer = new LayerStack(app, { platform, environment: platform.environment('shared'), layer: 'producer' });
      const consumer = new LayerStack(app, { platform, environment: platform.environment('dev'), layer: 'consumer' });
      const topic = new SnsTopic(producer, 'topic', { name: 'produced' });
      new SnsTopic(consumer, 'copy', { name: topic.name });
      consumer.prepareStack();
      const [remoteState] = Object.values<any>(synthJson(consumer).data.terraform_remote_state);
      expect(remoteState.config).toMatchObject({ key: 'shared/producer.tfstate', assume_role: { role_arn: 'arn:aws:iam::410987654321:role/platform-state-read' } });
      expect(synthJson(consumer).terraform.backend.s3.assume_role.role_arn).toBe('arn:aws:iam::410987654321:role/platform-state-dev');
    });
  });

  describe('the AWS provider', () => {
    const [provider] = synthJson(newTestStack('prod', 'network')).provider.aws;

    it('assumes the deploy role and refuses any other account', () => {
      expect(provider.allowed_account_ids).toEqual(['710987654321']);
      expect(provider.assume_role).toEqual([{ role_arn: 'arn:aws:iam::710987654321:role/platform-deploy', session_name: 'platform-prod-network' }]);
      expect(provider.region).toBe('eu-west-1');
    });

    it('tags every resource with the mandatory tags and the stack', () => {
      expect(provider.default_tags).toEqual([
        { tags: { environment: 'prod', owner: 'platform-team', 'cost-center': 'cc-2000', 'managed-by': 'cdktf', stack: 'prod-network' } },
      ]);
    });
  });

  describe('Terraform addresses', () => {
    it('are the construct path in snake case, without hashes', () => {
      const stack = newTestStack();
      const alerts = new Construct(stack, 'alertTopics');
      new SnsTopic(alerts, 'critical_eu_west_1a', { name: 'x' });
      expect(Object.keys(synthJson(stack).resource.aws_sns_topic)).toEqual(['alert_topics_critical_eu_west_1a']);
    });

    it('refuse two constructs that map to one address', () => {
      const stack = newTestStack();
      new SnsTopic(new Construct(stack, 'a'), 'b_c', { name: 'x' });
      new SnsTopic(new Construct(stack, 'a_b'), 'c', { name: 'y' });
      expect(() => Testing.synth(stack)).toThrow(/Terraform address "a_b_c" is claimed by both .*a\/b_c and .*a_b\/c; give one of the constructs another id/);
    });
  });

  it('can target another account of the platform with an aliased provider', () => {
    const platform = shippedPlatform();
    const stack = new LayerStack(Testing.app(), { platform, environment: platform.environment('dev'), layer: 'x' });
    stack.awsProvider('hub', { accountId: platform.shared.accountId, deployRoleArn: platform.shared.deployRoleArn }, 'eu-west-1', 'network_hub');
    const providers = synthJson(stack).provider.aws;
    expect(providers[1]).toMatchObject({ alias: 'network_hub', allowed_account_ids: ['210987654321'] });
  });
});

describe('LayerStack as HCL (cdktf synth --hcl)', () => {
  it('writes depends_on, provider and ignore_changes as references, not quoted strings (deprecated since Terraform 0.12)', () => {
    const stack = newTestStack('dev');
    const hub = stack.awsProvider('hub', stack.account, 'us-east-1', 'us_east_1');
    const topic = new SnsTopic(stack, 'first', { name: 'first' });
    new SnsTopic(stack, 'second', { name: 'second', provider: hub, dependsOn: [topic], lifecycle: { ignoreChanges: ['display_name', 'tags'] } });
    const hcl: string = Testing.synthHcl(stack);
    const second = /resource "aws_sns_topic" "second" \{[\s\S]*?\n\}/.exec(hcl)![0];
    expect(second).toMatch(/depends_on\s*= \[aws_sns_topic\.first\]/);
    expect(second).toMatch(/provider\s*= aws\.us_east_1/);
    expect(second).toMatch(/ignore_changes\s*= \[display_name, tags\]/);
    expect(second).not.toMatch(/"aws_sns_topic\.first"|"aws\.us_east_1"|"display_name"/);
    // cdktf writes the terraform block's plain settings by index (`0 = "required_version"`).
    expect(hcl).toMatch(/\n {2}required_version = "\d+\.\d+\.\d+"\n/);
    expect(hcl).not.toMatch(/\n {2}\d+ = "/);
  });

  it('leaves the JSON the strings JSON needs', () => {
    const stack = newTestStack('dev');
    const before = new SnsTopic(stack, 'before', { name: 'before' });
    new SnsTopic(stack, 'after', { name: 'after', dependsOn: [before] });
    expect(synthJson(stack).resource.aws_sns_topic.after.depends_on).toEqual(['aws_sns_topic.before']);
  });
});
