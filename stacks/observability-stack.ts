import type { Construct } from 'constructs';
import { LayerStack } from './layer-stack';
import type { EnvironmentStackProps } from './stack-props';

/** <env>-observability: alert topics, the dashboard, the account security baseline and backups. */
export class ObservabilityStack extends LayerStack {
  constructor(scope: Construct, props: EnvironmentStackProps) {
    super(scope, { platform: props.platform, environment: props.environment, layer: 'observability' });
  }
}
