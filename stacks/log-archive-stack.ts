import type { Construct } from 'constructs';
import { LayerStack } from './layer-stack';
import type { PlatformStackProps } from './stack-props';
import type { LogArchiveExports } from './contracts';
import { LogArchive } from '../modules/observability/log-archive';

/**
 * shared-log-archive: the central archive buckets (CloudTrail and flow logs, ALB access logs)
 * and their KMS key, in the log-archive account (WAF logs stay in each workload account: WAF
 * delivers only to its own account). Every account's trail (created by
 * its `<env>-observability` stack; the log-archive and tooling accounts' by `shared-observability`)
 * delivers here by bucket name; the key is named by its ARN (`exports.keyArn`, a cross-stack
 * reference read by every `<env>-observability`), which the apply order puts after this stack.
 */
export class LogArchiveStack extends LayerStack {
  readonly archive: LogArchive;
  readonly exports: LogArchiveExports;

  constructor(scope: Construct, props: PlatformStackProps) {
    super(scope, { platform: props.platform, environment: props.platform.shared, layer: 'log-archive', account: props.platform.organization.accounts.logArchive });
    this.archive = new LogArchive(this, 'logs', { platform: props.platform });
    this.exports = { keyArn: this.archive.key.arn };
  }
}
