import { defineRule, everyTier, problems } from '../rule';

const FLAGS = ['transit_gateway_default_route_table_association', 'transit_gateway_default_route_table_propagation'] as const;

/**
 * What the provider reads back (aws provider 5.x, resourceTransitGatewayVPCAttachmentRead):
 * for a Transit Gateway in the VPC's own account, whether the attachment is associated with /
 * propagated to the gateway's default route table (false when the gateway has none); for a
 * gateway shared through RAM from another account, always true (it cannot read the owner's
 * route tables). The argument defaults to true, so an unset flag on a same-account gateway
 * without default route tables reads back false and shows as a change on every plan.
 */
export const tgwAttachmentDefaultRouteTables = defineRule({
  id: 'PLAT-DRIFT-2',
  name: 'tgw-attachment-default-route-tables',
  info: 'Transit Gateway VPC attachments set transit_gateway_default_route_table_association and _propagation explicitly.',
  explanation:
    'Both default to true. For a gateway in the same account without default route tables (ours: every segment has its own route table) AWS reads back false, so an unset flag is a change on every plan; for a gateway shared through RAM the provider always reads true. Writing the value the provider will read makes the second plan empty and the intent visible.',
  fix: 'Set both: false when the gateway is in the VPC\'s account and associations are explicit (aws_ec2_transit_gateway_route_table_association), true for a gateway shared through RAM from another account (the provider reports true and cannot change them).',
  level: everyTier('error'),
  resourceTypes: ['aws_ec2_transit_gateway_vpc_attachment'],
  evaluate(attachment) {
    return problems(...FLAGS.filter((flag) => attachment.attributes[flag] === undefined).map((flag) => `${flag} is not set (defaults to true; AWS may read back false)`));
  },
});
