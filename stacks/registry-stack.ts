import type { Construct } from 'constructs';
import { LayerStack } from './layer-stack';
import type { PlatformStackProps } from './stack-props';

/** shared-registry: ECR repositories in the tooling account; images are built once and promoted by tag or digest. */
export class RegistryStack extends LayerStack {
  constructor(scope: Construct, props: PlatformStackProps) {
    super(scope, { platform: props.platform, environment: props.platform.shared, layer: 'registry', account: props.platform.organization.accounts.tooling });
  }
}
