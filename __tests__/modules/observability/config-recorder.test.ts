import { ConfigRecorder, type ConfigRecorderProps } from '../../../modules/observability/config-recorder';
import { newTestStack, resourcesOf, synthJson } from '../../helpers/platform';

const KEY_ARN = 'arn:aws:kms:eu-west-1:310987654321:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const PROPS: ConfigRecorderProps = { accountId: '510987654321', bucketName: 'acme-log-archive-310987654321', keyPrefix: 'config', kmsKeyArn: KEY_ARN, recordGlobalResources: true };

function synth(overrides: Partial<ConfigRecorderProps> = {}) {
  const stack = newTestStack('dev');
  new ConfigRecorder(stack, 'config', { ...PROPS, ...overrides });
  return synthJson(stack);
}

describe('ConfigRecorder', () => {
  it('records global resources and creates the service-linked role in the region that owns them', () => {
    const json = synth();
    expect(resourcesOf(json, 'aws_config_configuration_recorder').config.recording_group).toEqual({ all_supported: true, include_global_resource_types: true });
    expect(Object.keys(resourcesOf(json, 'aws_iam_service_linked_role'))).toEqual(['config_service_linked_role']);
  });

  it('records regional resources only elsewhere, with the role the home region created', () => {
    const json = synth({ recordGlobalResources: false });
    expect(resourcesOf(json, 'aws_config_configuration_recorder').config).toMatchObject({
      recording_group: { all_supported: true, include_global_resource_types: false },
      role_arn: 'arn:aws:iam::510987654321:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig',
    });
    expect(resourcesOf(json, 'aws_iam_service_linked_role')).toEqual({});
  });

  it('enables recording only once the delivery channel exists', () => {
    const json = synth();
    expect(resourcesOf(json, 'aws_config_delivery_channel').config_delivery_channel).toMatchObject({ s3_key_prefix: 'config', s3_kms_key_arn: KEY_ARN, depends_on: ['aws_config_configuration_recorder.config'] });
    expect(resourcesOf(json, 'aws_config_configuration_recorder_status').config_status).toMatchObject({ is_enabled: true, depends_on: ['aws_config_delivery_channel.config_delivery_channel'] });
  });

  it.each<[string, Partial<ConfigRecorderProps>, RegExp]>([
    ['an alias for the key', { kmsKeyArn: 'arn:aws:kms:eu-west-1:310987654321:alias/acme-log-archive' }, /kmsKeyArn "arn:aws:kms:eu-west-1:310987654321:alias\/acme-log-archive" is an alias; pass the key ARN/],
    ['a prefix ending in /', { keyPrefix: 'config/' }, /keyPrefix "config\/" must not start or end with "\/"/],
    ['a malformed account', { accountId: '51' }, /accountId "51" is not a 12-digit account id/],
  ])('throws on %s', (_label, overrides, message) => {
    expect(() => synth(overrides)).toThrow(message);
  });
});
