/**
 * AWS Config in one account and region: the recorder that Security Hub's CIS and Foundational
 * Security Best Practices controls evaluate (without it they report nothing), its delivery
 * channel to the central archive and the recorder status. The recorder uses Config's
 * service-linked role `AWSServiceRoleForConfig`; each account creates it once, in the region
 * that also records the global resource types (IAM), so global resources are recorded once.
 *
 * Config delivers to a bucket of another account as `config.amazonaws.com`, under
 * `<prefix>/AWSLogs/<account>/Config/...`, with the archive key
 * (https://docs.aws.amazon.com/config/latest/developerguide/s3-bucket-policy.html,
 * https://docs.aws.amazon.com/config/latest/developerguide/s3-kms-key-policy.html): the archive
 * bucket and key policies admit it (modules/observability/log-archive.ts).
 */
import { Construct } from 'constructs';
import type { TerraformProvider } from 'cdktf';
import { ConfigConfigurationRecorder } from '@cdktf/provider-aws/lib/config-configuration-recorder';
import { ConfigDeliveryChannel } from '@cdktf/provider-aws/lib/config-delivery-channel';
import { ConfigConfigurationRecorderStatus } from '@cdktf/provider-aws/lib/config-configuration-recorder-status';
import { IamServiceLinkedRole } from '@cdktf/provider-aws/lib/iam-service-linked-role';
import { isKmsAlias } from '../core/kms-reference';
import { CONFIG_DELIVERY_FREQUENCY, CONFIG_RECORDER_NAME, CONFIG_SERVICE, CONFIG_SERVICE_LINKED_ROLE } from './defaults';

export interface ConfigRecorderProps {
  /** The account recorded. */
  readonly accountId: string;
  /** Archive bucket the delivery channel writes to (in the log-archive account). */
  readonly bucketName: string;
  /** Key prefix in the bucket; Config writes below `<prefix>/AWSLogs/<account>/Config/`. */
  readonly keyPrefix: string;
  /** ARN of the archive key (a key ARN: Config stores it as given, the archive policy admits it). */
  readonly kmsKeyArn: string;
  /**
   * Record the global resource types (IAM users, roles, policies) in this region, and create the
   * account's service-linked role here. Exactly one region of each account does.
   */
  readonly recordGlobalResources: boolean;
  /** Provider of the account. @default - the stack's default provider */
  readonly provider?: TerraformProvider;
}

export class ConfigRecorder extends Construct {
  readonly recorder: ConfigConfigurationRecorder;
  readonly deliveryChannel: ConfigDeliveryChannel;
  readonly status: ConfigConfigurationRecorderStatus;

  constructor(scope: Construct, id: string, props: ConfigRecorderProps) {
    if (!/^\d{12}$/.test(props.accountId)) throw new Error(`ConfigRecorder ${id}: accountId "${props.accountId}" is not a 12-digit account id`);
    if (isKmsAlias(props.kmsKeyArn)) throw new Error(`ConfigRecorder ${id}: kmsKeyArn "${props.kmsKeyArn}" is an alias; pass the key ARN (LogArchiveStack.exports.keyArn)`);
    if (props.keyPrefix.startsWith('/') || props.keyPrefix.endsWith('/')) {
      throw new Error(`ConfigRecorder ${id}: keyPrefix "${props.keyPrefix}" must not start or end with "/" (Config adds /AWSLogs/<account>/Config/)`);
    }
    super(scope, id);
    const { provider } = props;
    const role = props.recordGlobalResources ? new IamServiceLinkedRole(this, 'service_linked_role', { provider, awsServiceName: CONFIG_SERVICE }) : undefined;
    this.recorder = new ConfigConfigurationRecorder(this, 'Resource', {
      provider,
      name: CONFIG_RECORDER_NAME,
      roleArn: `arn:aws:iam::${props.accountId}:role/aws-service-role/${CONFIG_SERVICE}/${CONFIG_SERVICE_LINKED_ROLE}`,
      recordingGroup: { allSupported: true, includeGlobalResourceTypes: props.recordGlobalResources },
      dependsOn: role ? [role] : undefined,
    });
    this.deliveryChannel = new ConfigDeliveryChannel(this, 'delivery_channel', {
      provider,
      name: CONFIG_RECORDER_NAME,
      s3BucketName: props.bucketName,
      s3KeyPrefix: props.keyPrefix,
      s3KmsKeyArn: props.kmsKeyArn,
      snapshotDeliveryProperties: { deliveryFrequency: CONFIG_DELIVERY_FREQUENCY },
      dependsOn: [this.recorder],
    });
    this.status = new ConfigConfigurationRecorderStatus(this, 'status', {
      provider,
      name: this.recorder.name,
      isEnabled: true,
      dependsOn: [this.deliveryChannel],
    });
  }
}
