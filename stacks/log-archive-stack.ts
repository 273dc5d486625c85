import type { Construct } from 'constructs';
import { LayerStack } from './layer-stack';
import type { PlatformStackProps } from './stack-props';

/** shared-log-archive: the central archive buckets and the organization trail, in the log-archive account. */
export class LogArchiveStack extends LayerStack {
  constructor(scope: Construct, props: PlatformStackProps) {
    super(scope, { platform: props.platform, environment: props.platform.shared, layer: 'log-archive', account: props.platform.organization.accounts.logArchive });
  }
}
