import type { Construct } from 'constructs';
import { LayerStack } from './layer-stack';
import type { EnvironmentStackProps } from './stack-props';

/** <env>-network: the environment VPC, its subnet tiers, NACLs, security groups, endpoints, flow logs and Transit Gateway attachment. */
export class NetworkStack extends LayerStack {
  constructor(scope: Construct, props: EnvironmentStackProps) {
    super(scope, { platform: props.platform, environment: props.environment, layer: 'network' });
  }
}
