import { Construct } from 'constructs';
import { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository';
import { EcrLifecyclePolicy } from '@cdktf/provider-aws/lib/ecr-lifecycle-policy';
import { EcrRepositoryPolicy } from '@cdktf/provider-aws/lib/ecr-repository-policy';
import { ECR_PULL_ACTIONS, REGISTRY } from './defaults';
import { REPOSITORY_NAME } from './image-ref';
import { protect } from '../core/protection';

export interface RegistryRepositoryProps {
  /** Repository name, `api`. */
  readonly repositoryName: string;
  /** KMS key the images are encrypted with. */
  readonly kmsKeyArn: string;
  /** Accounts that may pull (never push). */
  readonly pullAccountIds: readonly string[];
  /** Tags an environment pins: never expired by the lifecycle policy. @default - none */
  readonly pinnedTags?: readonly string[];
  /** Tagged images kept besides the pinned ones. @default REGISTRY.keepTaggedImages */
  readonly keepTaggedImages?: number;
  /** Days after push an untagged image expires. @default REGISTRY.untaggedExpiryDays */
  readonly untaggedExpiryDays?: number;
}

/** Count no repository reaches: a rule with it keeps every image it matches. */
const KEEP_ALL = 1_000_000;

/**
 * An ECR repository of the platform registry: immutable tags, scan on push, KMS encryption, a
 * lifecycle policy (pinned tags kept, last N tagged kept, untagged expired after D days) and a
 * repository policy that lets the workload accounts pull, never push.
 */
export class RegistryRepository extends Construct {
  readonly repository: EcrRepository;

  constructor(scope: Construct, id: string, props: RegistryRepositoryProps) {
    super(scope, id);
    if (!REPOSITORY_NAME.test(props.repositoryName)) {
      throw new Error(`RegistryRepository repositoryName "${props.repositoryName}" is not an ECR repository name (lower-case letters, digits, . _ - and /)`);
    }
    if (props.pullAccountIds.length === 0 || props.pullAccountIds.some((account) => !/^\d{12}$/.test(account))) {
      throw new Error(`RegistryRepository pullAccountIds must be 12-digit account ids, at least one (got ${JSON.stringify(props.pullAccountIds)})`);
    }
    const keep = props.keepTaggedImages ?? REGISTRY.keepTaggedImages;
    const untaggedDays = props.untaggedExpiryDays ?? REGISTRY.untaggedExpiryDays;
    if (keep < 1 || untaggedDays < 1) throw new Error(`RegistryRepository keepTaggedImages and untaggedExpiryDays must be >= 1 (got ${keep}, ${untaggedDays})`);

    this.repository = new EcrRepository(this, 'Resource', {
      name: props.repositoryName,
      imageTagMutability: 'IMMUTABLE',
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: [{ encryptionType: 'KMS', kmsKey: props.kmsKeyArn }],
      forceDelete: false,
    });
    protect(this.repository, `ECR repository ${props.repositoryName}: the images every environment runs`);

    const pinned = [...new Set(props.pinnedTags ?? [])].sort();
    const rules: object[] = [];
    // An image matched by a rule's tag selection cannot be expired by a lower-priority rule.
    if (pinned.length > 0) {
      rules.push({
        rulePriority: 1,
        description: 'Keep every tag an environment pins',
        selection: { tagStatus: 'tagged', tagPatternList: pinned, countType: 'imageCountMoreThan', countNumber: KEEP_ALL },
        action: { type: 'expire' },
      });
    }
    rules.push(
      {
        rulePriority: 10,
        description: `Expire untagged images ${untaggedDays} days after push`,
        selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: untaggedDays },
        action: { type: 'expire' },
      },
      {
        rulePriority: 20,
        description: `Keep the last ${keep} tagged images`,
        selection: { tagStatus: 'tagged', tagPatternList: ['*'], countType: 'imageCountMoreThan', countNumber: keep },
        action: { type: 'expire' },
      },
    );
    new EcrLifecyclePolicy(this, 'lifecycle', { repository: this.repository.name, policy: JSON.stringify({ rules }) });

    new EcrRepositoryPolicy(this, 'policy', {
      repository: this.repository.name,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'WorkloadAccountsPull',
            Effect: 'Allow',
            Principal: { AWS: [...new Set(props.pullAccountIds)].sort().map((account) => `arn:aws:iam::${account}:root`) },
            Action: [...ECR_PULL_ACTIONS],
          },
        ],
      }),
    });
  }
}
