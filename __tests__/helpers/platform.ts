/** Builders shared by the jest suite. */
import { App, Testing } from 'cdktf';
import { loadPlatform, type Platform } from '../../environments/load';
import { LayerStack } from '../../stacks/layer-stack';

let cached: Platform | undefined;

/** The shipped environments (dev, staging, prod, shared), validated. */
export function shippedPlatform(): Platform {
  cached ??= loadPlatform();
  return cached;
}

/** A fresh, empty stack of one environment, for construct tests. */
export function newTestStack(environment = 'dev', layer = 'test'): LayerStack {
  const platform = shippedPlatform();
  const app = Testing.app();
  return new LayerStack(app, { platform, environment: platform.environment(environment), layer });
}

/** The synthesized Terraform JSON of a stack, parsed. */
export function synthJson(stack: LayerStack): any {
  return JSON.parse(Testing.synth(stack));
}

/** Resources of one type in synthesized JSON, by Terraform name. */
export function resourcesOf(json: any, type: string): Record<string, any> {
  return json.resource?.[type] ?? {};
}

export { App };
