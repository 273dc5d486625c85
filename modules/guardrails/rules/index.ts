/** The rule catalogue: every file of this directory, in id order (see each file for the rule). */
import type { GuardrailRule } from '../rule';
import { albAccessLogs } from './alb-access-logs';
import { albDropInvalidHeaders } from './alb-drop-invalid-headers';
import { albListenerHttps } from './alb-listener-https';
import { cloudtrailEncrypted } from './cloudtrail-encrypted';
import { cloudtrailLogValidation } from './cloudtrail-log-validation';
import { cloudtrailMultiRegion } from './cloudtrail-multi-region';
import { defaultSecurityGroupClosed } from './default-security-group-closed';
import { ecrScanOnPush } from './ecr-scan-on-push';
import { ecrTagsImmutable } from './ecr-tags-immutable';
import { ecsContainerLogging } from './ecs-container-logging';
import { ecsContainerNotPrivileged } from './ecs-container-not-privileged';
import { ecsContainerReadOnlyRoot } from './ecs-container-read-only-root';
import { iamNoAdminPolicy } from './iam-no-admin-policy';
import { kmsKeyArnNotAlias } from './kms-key-arn-not-alias';
import { kmsKeyRotation } from './kms-key-rotation';
import { logGroupEncrypted } from './log-group-encrypted';
import { logGroupRetention } from './log-group-retention';
import { mandatoryTags } from './mandatory-tags';
import { policyConditionValuesStrings } from './policy-condition-values-strings';
import { resourcePolicyNoPublicPrincipal } from './resource-policy-no-public-principal';
import { s3BucketEncrypted } from './s3-bucket-encrypted';
import { s3BucketPublicAccessBlocked } from './s3-bucket-public-access-blocked';
import { s3BucketTlsOnly } from './s3-bucket-tls-only';
import { s3BucketVersioned } from './s3-bucket-versioned';
import { secretCustomerKey } from './secret-customer-key';
import { secretRotation } from './secret-rotation';
import { securityGroupAllPorts } from './security-group-all-ports';
import { securityGroupOpenIngress } from './security-group-open-ingress';
import { snsTopicEncrypted } from './sns-topic-encrypted';
import { tierEcsCircuitBreaker } from './tier-ecs-circuit-breaker';
import { tierEcsExecOff } from './tier-ecs-exec-off';
import { tierKmsEverywhere } from './tier-kms-everywhere';
import { tierLbDeletionProtection } from './tier-lb-deletion-protection';
import { tierLogRetention } from './tier-log-retention';
import { tierNatPerAz } from './tier-nat-per-az';
import { tgwAttachmentDefaultRouteTables } from './tgw-attachment-default-route-tables';
import { vpcFlowLogs } from './vpc-flow-logs';

export const ALL_RULES: readonly GuardrailRule[] = [
  albAccessLogs,
  albDropInvalidHeaders,
  albListenerHttps,
  cloudtrailEncrypted,
  cloudtrailLogValidation,
  cloudtrailMultiRegion,
  defaultSecurityGroupClosed,
  ecrScanOnPush,
  ecrTagsImmutable,
  ecsContainerLogging,
  ecsContainerNotPrivileged,
  ecsContainerReadOnlyRoot,
  iamNoAdminPolicy,
  kmsKeyArnNotAlias,
  kmsKeyRotation,
  logGroupEncrypted,
  logGroupRetention,
  mandatoryTags,
  policyConditionValuesStrings,
  resourcePolicyNoPublicPrincipal,
  s3BucketEncrypted,
  s3BucketPublicAccessBlocked,
  s3BucketTlsOnly,
  s3BucketVersioned,
  secretCustomerKey,
  secretRotation,
  securityGroupAllPorts,
  securityGroupOpenIngress,
  snsTopicEncrypted,
  tierEcsCircuitBreaker,
  tierEcsExecOff,
  tierKmsEverywhere,
  tierLbDeletionProtection,
  tierLogRetention,
  tierNatPerAz,
  tgwAttachmentDefaultRouteTables,
  vpcFlowLogs,
].sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));

