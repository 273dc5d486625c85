/**
 * What one layer hands to the next. Producers expose these from their stack objects; consumers
 * use them as cdktf cross-stack references (a `TerraformOutput` in the producer and a
 * `terraform_remote_state` read in the consumer), so the apply order follows the data.
 */

/** From `shared-log-archive`. */
export interface LogArchiveExports {
  /**
   * ARN of the archive key (`arn:aws:kms:<region>:<log-archive>:key/<id>`). Trails and Config
   * deliveries name the key ARN, never its alias: CloudTrail reads back the key ARN, so an
   * alias would show as a change on every plan.
   */
  readonly keyArn: string;
}

/** From `<env>-network`. Keys of the per-zone maps are zone names (`eu-west-1a`). */
export interface NetworkExports {
  readonly vpcId: string;
  readonly vpcCidr: string;
  readonly publicSubnetIds: readonly string[];
  readonly appSubnetIds: readonly string[];
  readonly dataSubnetIds: readonly string[];
  readonly securityGroupIds: {
    readonly alb: string;
    readonly app: string;
    readonly data: string;
    readonly endpoints: string;
  };
}

/** From `shared-network-hub`. */
export interface HubExports {
  readonly transitGatewayId: string;
  /** Hub route table id per segment. */
  readonly routeTableIds: Readonly<Record<'prod' | 'nonprod' | 'shared', string>>;
}

/** One secret of `<env>-secrets`, as the container platform needs it. */
export interface SecretHandle {
  /** Short name from the config (`api/db-password`). */
  readonly name: string;
  /** Full Secrets Manager name (`/dev/api/db-password`). */
  readonly secretName: string;
  readonly arn: string;
  /** The customer-managed key the secret is encrypted with. */
  readonly kmsKeyArn: string;
  /**
   * The secret's replica in its disaster-recovery region, encrypted with that region's replica key.
   * @default - not replicated
   */
  readonly replica?: { readonly region: string; readonly kmsKeyArn: string };
}

/** From `<env>-secrets`. */
export interface SecretsExports {
  readonly kmsKeyArn: string;
  /** Every secret of the environment, by short name. */
  readonly secrets: Readonly<Record<string, SecretHandle>>;
}
