/**
 * Turns the validated environments into stacks. Apply order (named once in apply-order.ts and
 * checked against every remote-state read by a test): environment by environment, shared
 * first, and inside each environment these layers, each depending only on those above:
 *
 *   1. shared-bootstrap               state bucket, CI roles (local state, once by hand)
 *   2. shared-log-archive             archive buckets and their key
 *   3. shared-network-hub             Transit Gateway, segment route tables, RAM share
 *      shared-registry                ECR repositories
 *   4. <env>-observability            alert topics, CloudTrail, security baseline, backups,
 *                                     dashboard (shared first: it also covers the log-archive
 *                                     and tooling accounts)
 *   5. <env>-network                  VPC, attachment to the hub (cross-account association)
 *   6. <env>-secrets                  KMS key, secrets, rotation
 *   7. <env>-platform                 ECS cluster, ALB, WAF, services
 */
import { Aspects, type App } from 'cdktf';
import type { Platform } from '../environments/load';
import type { LayerStack } from './layer-stack';
import { BootstrapStack } from './bootstrap-stack';
import { LogArchiveStack } from './log-archive-stack';
import { NetworkHubStack } from './network-hub-stack';
import { RegistryStack } from './registry-stack';
import { ObservabilityStack } from './observability-stack';
import { NetworkStack } from './network-stack';
import { SecretsStack } from './secrets-stack';
import { ContainerPlatformStack } from './container-platform-stack';
import { applyGuardrails } from '../modules/guardrails';
import { AlarmCoverage } from '../modules/observability/alarm-coverage';

export interface PlatformStacks {
  readonly all: readonly LayerStack[];
}

export function buildPlatform(app: App, platform: Platform): PlatformStacks {
  const all: LayerStack[] = [];
  const add = <T extends LayerStack>(stack: T): T => {
    all.push(stack);
    Aspects.of(stack).add(new AlarmCoverage({ environment: stack.environment })); // default alarms (modules/observability)
    applyGuardrails(stack); // security and compliance rules, checked at synth (modules/guardrails)
    return stack;
  };

  add(new BootstrapStack(app, { platform }));
  const archive = add(new LogArchiveStack(app, { platform }));
  const hub = add(new NetworkHubStack(app, { platform }));
  add(new RegistryStack(app, { platform }));
  for (const environment of platform.environments) {
    add(new ObservabilityStack(app, { platform, environment, archive: archive.exports }));
    const network = add(new NetworkStack(app, { platform, environment, hub }));
    const secrets = add(new SecretsStack(app, { platform, environment, network: network.exports }));
    if (environment.organization === undefined) {
      add(new ContainerPlatformStack(app, { platform, environment, network: network.exports, secrets: secrets.exports }));
    }
  }
  return { all };
}
