import type { Construct } from 'constructs';
import { LayerStack } from './layer-stack';
import type { EnvironmentStackProps } from './stack-props';

/** <env>-platform: the ECS cluster, ALB, WAF and the services of the environment config. */
export class ContainerPlatformStack extends LayerStack {
  constructor(scope: Construct, props: EnvironmentStackProps) {
    super(scope, { platform: props.platform, environment: props.environment, layer: 'platform' });
  }
}
