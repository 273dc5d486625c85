import { Ec2Capacity, type Ec2CapacityProps } from '../../../modules/containers';
import { newTestStack, resourcesOf, synthJson } from '../../helpers/platform';

const TOPIC = 'arn:aws:sns:eu-west-1:510987654321:dev-alerts-critical';

function synthCapacity(overrides: Partial<Ec2CapacityProps> = {}) {
  const stack = newTestStack('dev');
  new Ec2Capacity(stack, 'ec2_capacity', {
    name: 'dev-platform-ec2',
    clusterName: 'dev-platform',
    accountId: '510987654321',
    region: 'eu-west-1',
    instanceType: 'm7i.large',
    minSize: 0,
    maxSize: 3,
    subnetIds: ['subnet-app-a', 'subnet-app-b'],
    securityGroupIds: ['sg-app'],
    alarmTopicArns: [TOPIC],
    ...overrides,
  });
  return synthJson(stack);
}

describe('Ec2Capacity', () => {
  const json = synthCapacity();
  const template = resourcesOf(json, 'aws_launch_template').ec2_capacity_launch_template;

  it('requires IMDSv2 with one hop', () => {
    expect(template.metadata_options).toEqual(expect.objectContaining({ http_tokens: 'required', http_endpoint: 'enabled', http_put_response_hop_limit: 1 }));
  });
  it('encrypts the root volume with its own rotated key', () => {
    expect(template.block_device_mappings[0].ebs).toEqual(
      expect.objectContaining({ encrypted: 'true', kms_key_id: '${aws_kms_key.ec2_capacity_volume_key.arn}', volume_type: 'gp3' }),
    );
    expect(resourcesOf(json, 'aws_kms_key').ec2_capacity_volume_key.enable_key_rotation).toBe(true);
  });
  it('allows no SSH: no key pair, access through SSM', () => {
    expect(template.key_name).toBeUndefined();
    const attached = Object.values(resourcesOf(json, 'aws_iam_role_policy_attachment')).map((attachment: any) => attachment.policy_arn);
    expect(attached).toEqual(expect.arrayContaining(['arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore']));
    expect(resourcesOf(json, 'aws_security_group_rule')).toEqual({});
  });
  it('joins the cluster and recovers automatically', () => {
    expect(Buffer.from(template.user_data.replace(/^\$\{base64encode\("(.*)"\)\}$/, '$1'), 'utf8').toString()).toContain('ECS_CLUSTER=dev-platform');
    expect(template.maintenance_options).toEqual({ auto_recovery: 'default' });
    expect(resourcesOf(json, 'aws_autoscaling_group').ec2_capacity_auto_scaling_group).toEqual(
      expect.objectContaining({ health_check_type: 'EC2', protect_from_scale_in: true, min_size: 0, max_size: 3, vpc_zone_identifier: ['subnet-app-a', 'subnet-app-b'] }),
    );
  });
  it('backs a capacity provider with managed scaling', () => {
    expect(resourcesOf(json, 'aws_ecs_capacity_provider').ec2_capacity_capacity_provider.auto_scaling_group_provider).toEqual(
      expect.objectContaining({ managed_termination_protection: 'ENABLED', managed_scaling: { status: 'ENABLED', target_capacity: 100 } }),
    );
  });
  it('alarms on failed system and instance status checks', () => {
    const alarms = Object.values(resourcesOf(json, 'aws_cloudwatch_metric_alarm')) as any[];
    expect(alarms.map((alarm) => alarm.metric_name).sort()).toEqual(['StatusCheckFailed_Instance', 'StatusCheckFailed_System']);
    for (const alarm of alarms) expect(alarm.alarm_actions).toEqual([TOPIC]);
  });

  it.each<[string, Partial<Ec2CapacityProps>, RegExp]>([
    ['min above max', { minSize: 4, maxSize: 2 }, /needs 0 <= minSize <= maxSize and maxSize >= 1 \(got minSize 4, maxSize 2\)/],
    ['no subnets', { subnetIds: [] }, /subnetIds is empty/],
    ['no alarm topic', { alarmTopicArns: [] }, /alarmTopicArns is empty/],
  ])('throws on %s', (_label, overrides, message) => {
    expect(() => synthCapacity(overrides)).toThrow(message);
  });
});
