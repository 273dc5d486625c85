import type { Construct } from 'constructs';
import { LayerStack } from './layer-stack';
import type { PlatformStackProps } from './stack-props';

/** bootstrap: what remote state and CI need (placeholder, filled in below). */
export class BootstrapStack extends LayerStack {
  constructor(scope: Construct, props: PlatformStackProps) {
    super(scope, {
      platform: props.platform,
      environment: props.platform.shared,
      layer: 'bootstrap',
      account: props.platform.organization.accounts.tooling,
      localStatePath: props.platform.organization.state.bootstrapMigrated ? undefined : 'bootstrap.tfstate',
    });
  }
}
