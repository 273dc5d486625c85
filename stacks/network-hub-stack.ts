import type { Construct } from 'constructs';
import { LayerStack } from './layer-stack';
import type { PlatformStackProps } from './stack-props';

/** shared-network-hub: the Transit Gateway hub in the network account, its segment route tables and RAM share. */
export class NetworkHubStack extends LayerStack {
  constructor(scope: Construct, props: PlatformStackProps) {
    super(scope, { platform: props.platform, environment: props.platform.shared, layer: 'network-hub' });
  }
}
