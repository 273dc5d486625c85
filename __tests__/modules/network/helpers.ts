/** Builders of the network construct tests. */
import { newTestStack, resourcesOf, synthJson } from '../../helpers/platform';
import { TieredVpc, type TieredVpcProps } from '../../../modules/network/vpc';
import type { LayerStack } from '../../../stacks/layer-stack';

export const ZONES_2 = ['eu-west-1a', 'eu-west-1b'];
export const ZONES_3 = ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'];

/** A fresh dev stack holding one TieredVpc. */
export function vpcStack(props: Partial<TieredVpcProps> = {}): { stack: LayerStack; vpc: TieredVpc } {
  const stack = newTestStack('dev', 'test');
  const vpc = new TieredVpc(stack, 'vpc', { name: 'dev', cidrBlock: '10.10.0.0/16', availabilityZones: ZONES_2, natMode: 'single', ...props });
  return { stack, vpc };
}

export { resourcesOf, synthJson };
