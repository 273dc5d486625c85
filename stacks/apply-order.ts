/**
 * The order stacks are applied in: environment by environment, by layer inside each. Each layer depends only on the
 * layers before it: through cross-stack references (read as `terraform_remote_state`) or
 * through names derived from config (the archive buckets, the alert topics). A test checks
 * every remote-state read of the synthesized stacks against this order.
 */
export const LAYER_APPLY_ORDER = [
  'bootstrap',
  'log-archive',
  'network-hub',
  'registry',
  'observability',
  'network',
  'secrets',
  'platform',
] as const;
export type Layer = (typeof LAYER_APPLY_ORDER)[number];

/** `dev-network` -> `network`; undefined for a name that is not `<env>-<layer>`. */
export function layerOf(stack: string): Layer | undefined {
  return [...LAYER_APPLY_ORDER].sort((a, b) => b.length - a.length).find((layer) => stack.endsWith(`-${layer}`));
}

export function environmentOf(stack: string): string {
  const layer = layerOf(stack);
  return layer ? stack.slice(0, -(layer.length + 1)) : stack;
}

/**
 * Environments in apply order: the shared one (it declares the organization), then the
 * promotion chain, then any other environment (outside the chain) by name.
 */
export function environmentApplyOrder(platform: {
  readonly shared: { readonly name: string };
  readonly promotionChain: readonly { readonly name: string }[];
  readonly environments: readonly { readonly name: string }[];
}): string[] {
  const names = [platform.shared.name, ...platform.promotionChain.map((env) => env.name), ...platform.environments.map((env) => env.name).sort()];
  return names.filter((name, index) => names.indexOf(name) === index);
}

/**
 * Stacks in apply order: environment by environment in `environmentOrder` (the shared
 * environment, then the promotion chain), layer by layer inside each, then by name. Stacks of
 * an unknown environment or layer come last.
 */
export function applyOrder(stacks: readonly string[], environmentOrder: readonly string[] = []): string[] {
  const layerRank = (stack: string) => {
    const layer = layerOf(stack);
    return layer === undefined ? LAYER_APPLY_ORDER.length : LAYER_APPLY_ORDER.indexOf(layer);
  };
  const environmentRank = (stack: string) => {
    const index = environmentOrder.indexOf(environmentOf(stack));
    return index < 0 ? environmentOrder.length : index;
  };
  return [...stacks].sort((a, b) => environmentRank(a) - environmentRank(b) || layerRank(a) - layerRank(b) || a.localeCompare(b));
}
