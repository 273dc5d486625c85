import type { Construct } from 'constructs';
import { LayerStack } from './layer-stack';
import type { EnvironmentStackProps } from './stack-props';

/** <env>-secrets: the environment KMS key for secrets and its Secrets Manager secrets. */
export class SecretsStack extends LayerStack {
  constructor(scope: Construct, props: EnvironmentStackProps) {
    super(scope, { platform: props.platform, environment: props.environment, layer: 'secrets' });
  }
}
