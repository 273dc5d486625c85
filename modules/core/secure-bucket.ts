import { Construct } from 'constructs';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketLifecycleConfiguration, type S3BucketLifecycleConfigurationRule } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { denyInsecureTransport, policyDocument, type PolicyStatement } from './iam';
import { protect } from './protection';

export interface SecureBucketProps {
  /** Globally unique bucket name. */
  readonly bucketName: string;
  /** KMS key ARN for SSE-KMS; without it the bucket uses SSE-S3 (for deliveries that support nothing else). */
  readonly kmsKeyArn?: string;
  /** Statements added to the bucket policy after the TLS-only deny. @default - none */
  readonly policyStatements?: (bucketArn: string) => readonly PolicyStatement[];
  /** Lifecycle rules; an abort-incomplete-uploads rule is always added. @default - none */
  readonly lifecycleRules?: readonly S3BucketLifecycleConfigurationRule[];
  /** Keep the bucket when its resource is destroyed by mistake. @default true */
  readonly preventDestroy?: boolean;
  /** Enables S3 object lock at creation (it cannot be turned on later). @default false */
  readonly objectLockEnabled?: boolean;
}

/** Days after which incomplete multipart uploads are aborted. */
export const ABORT_INCOMPLETE_UPLOAD_DAYS = 7;

/**
 * An S3 bucket as every platform bucket must be: versioned, encrypted, public access blocked,
 * ownership enforced (no ACLs), TLS-only policy.
 */
export class SecureBucket extends Construct {
  readonly bucket: S3Bucket;
  readonly versioning: S3BucketVersioningA;
  readonly policy: S3BucketPolicy;

  constructor(scope: Construct, id: string, props: SecureBucketProps) {
    super(scope, id);
    this.bucket = new S3Bucket(this, 'bucket', {
      bucket: props.bucketName,
      objectLockEnabled: props.objectLockEnabled,
      lifecycle: { preventDestroy: props.preventDestroy ?? true },
    });
    const bucket = this.bucket.id;
    this.versioning = new S3BucketVersioningA(this, 'versioning', { bucket, versioningConfiguration: { status: 'Enabled' } });
    protect(this.bucket, `bucket ${props.bucketName}: its objects are lost with it`);
    protect(this.versioning, `versioning of ${props.bucketName}: its old versions are the recovery of overwritten or deleted objects`);
    new S3BucketServerSideEncryptionConfigurationA(this, 'encryption', {
      bucket,
      rule: [
        props.kmsKeyArn
          ? { applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: props.kmsKeyArn }, bucketKeyEnabled: true }
          : { applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } },
      ],
    });
    const publicAccess = new S3BucketPublicAccessBlock(this, 'public_access', {
      bucket,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, 'ownership', { bucket, rule: { objectOwnership: 'BucketOwnerEnforced' } });
    const arn = this.bucket.arn;
    this.policy = new S3BucketPolicy(this, 'policy', {
      bucket,
      policy: policyDocument([denyInsecureTransport([arn, `${arn}/*`]), ...(props.policyStatements?.(arn) ?? [])]),
      dependsOn: [publicAccess],
    });
    new S3BucketLifecycleConfiguration(this, 'lifecycle', {
      bucket,
      rule: [
        { id: 'abort-incomplete-uploads', status: 'Enabled', filter: [{}], abortIncompleteMultipartUpload: [{ daysAfterInitiation: ABORT_INCOMPLETE_UPLOAD_DAYS }] },
        ...(props.lifecycleRules ?? []),
      ],
      dependsOn: [this.versioning],
    });
  }
}
