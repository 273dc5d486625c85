/**
 * The hub-side access of one spoke: two roles in the network (hub) account that a spoke VPC's
 * stack assumes, through its `network_hub` provider, to finish its Transit Gateway attachment,
 * and nothing else in the hub account.
 *
 * - `apply` (assumed by the spoke environment's CI apply role): accept attachments, claim and
 *   tag the accepted attachment with the spoke's owner tag, and associate or propagate only
 *   attachments carrying that tag, only on the spoke's own hub route tables (the association
 *   table of its segment, the propagation tables of the segments that reach it), by ARN;
 * - `plan` (assumed by the spoke environment's CI plan role): the describes a plan needs.
 *
 * The owner tag is what keeps one spoke from touching another's attachment: EC2 supports
 * `aws:ResourceTag` on transit-gateway-attachment for every action used here, and tags of a
 * shared attachment are the hub account's own (the accepter sets them).
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html
 */
import { Construct } from 'constructs';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { policyDocument, type PolicyStatement } from '../core/iam';

/** What a plan reads of the hub side: wildcard-only EC2 actions (no resource-level permissions exist). */
export const HUB_ATTACHMENT_READ_ACTIONS: readonly string[] = [
  'ec2:DescribeTransitGateways',
  'ec2:DescribeTransitGatewayAttachments',
  'ec2:DescribeTransitGatewayVpcAttachments',
  'ec2:DescribeTransitGatewayRouteTables',
  'ec2:GetTransitGatewayRouteTableAssociations',
  'ec2:GetTransitGatewayRouteTablePropagations',
];

/** Longest session of either role: one CI job. */
export const SPOKE_ATTACHMENT_ROLE_MAX_SESSION_SECONDS = 3600;

export interface SpokeAttachmentRolesProps {
  /** The spoke environment (descriptions). */
  readonly spoke: string;
  /** Names of the two roles. */
  readonly roleNames: { readonly apply: string; readonly plan: string };
  /** The one principal (role ARN) allowed to assume each role. */
  readonly assumedBy: { readonly apply: string; readonly plan: string };
  /** Hub account and region: the ARNs of attachments are built from them. */
  readonly accountId: string;
  readonly region: string;
  /** ARN of the hub route table the spoke's attachment is associated with. */
  readonly associationRouteTableArn: string;
  /** ARNs of the hub route tables the spoke's range is propagated into. */
  readonly propagationRouteTableArns: readonly string[];
  /** Tag the hub side of the spoke's attachment carries; the apply role works only on attachments with it. */
  readonly ownerTag: { readonly key: string; readonly value: string };
  /**
   * The spoke accepts its attachment (the hub does not auto-accept).
   * @default true
   */
  readonly accept?: boolean;
}

export class SpokeAttachmentRoles extends Construct {
  readonly apply: IamRole;
  readonly plan: IamRole;

  constructor(scope: Construct, id: string, props: SpokeAttachmentRolesProps) {
    for (const kind of ['apply', 'plan'] as const) {
      if (!/^arn:aws:iam::\d{12}:role\/[\w+=,.@/-]+$/.test(props.assumedBy[kind])) {
        throw new Error(`SpokeAttachmentRoles ${id}: assumedBy.${kind} must be a role ARN (arn:aws:iam::<account>:role/<name>); got ${JSON.stringify(props.assumedBy[kind])}`);
      }
    }
    if (!props.ownerTag.key || !props.ownerTag.value) {
      throw new Error(`SpokeAttachmentRoles ${id}: ownerTag needs a key and a value; got ${JSON.stringify(props.ownerTag)}`);
    }
    super(scope, id);
    const attachments = `arn:aws:ec2:${props.region}:${props.accountId}:transit-gateway-attachment/*`;
    const ownerTag = `aws:ResourceTag/${props.ownerTag.key}`;
    const owned = { StringEquals: { [ownerTag]: props.ownerTag.value } };
    const read: PolicyStatement = { Sid: 'ReadTransitGateway', Effect: 'Allow', Action: HUB_ATTACHMENT_READ_ACTIONS, Resource: '*' };

    this.plan = this.role('plan', props, `Read-only hub side of ${props.spoke}'s Transit Gateway attachment (plans)`, [read]);
    this.apply = this.role('apply', props, `Hub side of ${props.spoke}'s Transit Gateway attachment: accept, associate, propagate`, [
      read,
      ...(props.accept ?? true ? [{ Sid: 'AcceptAttachments', Effect: 'Allow' as const, Action: 'ec2:AcceptTransitGatewayVpcAttachment', Resource: attachments }] : []),
      {
        Sid: 'ClaimUntaggedAttachment',
        Effect: 'Allow',
        Action: 'ec2:CreateTags',
        Resource: attachments,
        Condition: { Null: { [ownerTag]: 'true' }, StringEquals: { [`aws:RequestTag/${props.ownerTag.key}`]: props.ownerTag.value } },
      },
      { Sid: 'TagOwnAttachment', Effect: 'Allow', Action: 'ec2:CreateTags', Resource: attachments, Condition: owned },
      {
        Sid: 'UntagOwnAttachmentKeepingOwner',
        Effect: 'Allow',
        Action: 'ec2:DeleteTags',
        Resource: attachments,
        Condition: { ...owned, 'ForAllValues:StringNotEquals': { 'aws:TagKeys': [props.ownerTag.key] } },
      },
      {
        Sid: 'RouteAndDeleteOwnAttachment',
        Effect: 'Allow',
        Action: [
          'ec2:AssociateTransitGatewayRouteTable',
          'ec2:DisassociateTransitGatewayRouteTable',
          'ec2:EnableTransitGatewayRouteTablePropagation',
          'ec2:DisableTransitGatewayRouteTablePropagation',
          'ec2:DeleteTransitGatewayVpcAttachment',
        ],
        Resource: attachments,
        Condition: owned,
      },
      {
        Sid: 'AssociateOnOwnSegment',
        Effect: 'Allow',
        Action: ['ec2:AssociateTransitGatewayRouteTable', 'ec2:DisassociateTransitGatewayRouteTable'],
        Resource: props.associationRouteTableArn,
      },
      ...(props.propagationRouteTableArns.length > 0
        ? [
            {
              Sid: 'PropagateIntoReachingSegments',
              Effect: 'Allow' as const,
              Action: ['ec2:EnableTransitGatewayRouteTablePropagation', 'ec2:DisableTransitGatewayRouteTablePropagation'],
              Resource: [...props.propagationRouteTableArns],
            },
          ]
        : []),
    ]);
  }

  private role(kind: 'apply' | 'plan', props: SpokeAttachmentRolesProps, description: string, statements: PolicyStatement[]): IamRole {
    const principalAccount = props.assumedBy[kind].split(':')[4];
    const role = new IamRole(this, kind, {
      name: props.roleNames[kind],
      description,
      maxSessionDuration: SPOKE_ATTACHMENT_ROLE_MAX_SESSION_SECONDS,
      // The account as principal and the role by aws:PrincipalArn: the trust survives the CI role being recreated.
      assumeRolePolicy: policyDocument([
        {
          Sid: 'SpokeCiRole',
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${principalAccount}:root` },
          Action: ['sts:AssumeRole', 'sts:TagSession'],
          Condition: { ArnEquals: { 'aws:PrincipalArn': props.assumedBy[kind] } },
        },
      ]),
    });
    new IamRolePolicy(this, `${kind}_access`, { role: role.name, name: 'transit-gateway-attachment', policy: policyDocument(statements) });
    return role;
  }
}
