/**
 * CloudTrail metric filters of the CIS AWS Foundations Benchmark (monitoring section): each
 * counts one kind of security event in the trail's log group; its alarm fires on the first one.
 */
export interface CisFilter {
  /** Construct id and metric suffix. */
  readonly check: string;
  readonly metricName: string;
  readonly description: string;
  readonly pattern: string;
}

const anyEvent = (...names: string[]) => names.map((name) => `($.eventName = ${name})`).join(' || ');

export const CIS_FILTERS: readonly CisFilter[] = [
  {
    check: 'root_usage',
    metricName: 'RootAccountUsage',
    description: 'the root user was used (CIS 4.3)',
    pattern: '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }',
  },
  {
    check: 'unauthorized_api_calls',
    metricName: 'UnauthorizedApiCalls',
    description: 'API calls were denied (CIS 4.1)',
    pattern: '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }',
  },
  {
    check: 'console_signin_without_mfa',
    metricName: 'ConsoleSigninWithoutMfa',
    description: 'an IAM user signed in to the console without MFA (CIS 4.2)',
    pattern:
      '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") }',
  },
  {
    check: 'iam_policy_changes',
    metricName: 'IamPolicyChanges',
    description: 'an IAM policy was changed (CIS 4.4)',
    pattern: `{ ${anyEvent(
      'DeleteGroupPolicy', 'DeleteRolePolicy', 'DeleteUserPolicy', 'PutGroupPolicy', 'PutRolePolicy', 'PutUserPolicy',
      'CreatePolicy', 'DeletePolicy', 'CreatePolicyVersion', 'DeletePolicyVersion', 'AttachRolePolicy', 'DetachRolePolicy',
      'AttachUserPolicy', 'DetachUserPolicy', 'AttachGroupPolicy', 'DetachGroupPolicy',
    )} }`,
  },
  {
    check: 'cloudtrail_changes',
    metricName: 'CloudTrailConfigChanges',
    description: 'a trail was changed or stopped (CIS 4.5)',
    pattern: `{ ${anyEvent('CreateTrail', 'UpdateTrail', 'DeleteTrail', 'StartLogging', 'StopLogging')} }`,
  },
  {
    check: 'kms_key_disable_or_deletion',
    metricName: 'KmsKeyDisableOrDeletion',
    description: 'a customer-managed KMS key was disabled or scheduled for deletion (CIS 4.7)',
    pattern: '{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion)) }',
  },
  {
    check: 'security_group_changes',
    metricName: 'SecurityGroupChanges',
    description: 'a security group was changed (CIS 4.10)',
    pattern: `{ ${anyEvent(
      'AuthorizeSecurityGroupIngress', 'AuthorizeSecurityGroupEgress', 'RevokeSecurityGroupIngress', 'RevokeSecurityGroupEgress',
      'CreateSecurityGroup', 'DeleteSecurityGroup',
    )} }`,
  },
  {
    check: 'nacl_changes',
    metricName: 'NetworkAclChanges',
    description: 'a network ACL was changed (CIS 4.11)',
    pattern: `{ ${anyEvent(
      'CreateNetworkAcl', 'CreateNetworkAclEntry', 'DeleteNetworkAcl', 'DeleteNetworkAclEntry', 'ReplaceNetworkAclEntry', 'ReplaceNetworkAclAssociation',
    )} }`,
  },
  {
    check: 'route_table_changes',
    metricName: 'RouteTableChanges',
    description: 'a route table was changed (CIS 4.13)',
    pattern: `{ ($.eventSource = ec2.amazonaws.com) && (${anyEvent(
      'CreateRoute', 'CreateRouteTable', 'ReplaceRoute', 'ReplaceRouteTableAssociation', 'DeleteRouteTable', 'DeleteRoute', 'DisassociateRouteTable',
    )}) }`,
  },
  {
    check: 'vpc_changes',
    metricName: 'VpcChanges',
    description: 'a VPC or its peering was changed (CIS 4.14)',
    pattern: `{ ${anyEvent(
      'CreateVpc', 'DeleteVpc', 'ModifyVpcAttribute', 'AcceptVpcPeeringConnection', 'CreateVpcPeeringConnection',
      'DeleteVpcPeeringConnection', 'RejectVpcPeeringConnection', 'AttachClassicLinkVpc', 'DetachClassicLinkVpc',
      'DisableVpcClassicLink', 'EnableVpcClassicLink',
    )} }`,
  },
];
