/**
 * The one schema every `environments/<name>/config.ts` is validated against when loaded.
 *
 * Config files import only types from here (`import type`), so an environment directory is
 * plain data: copying it elsewhere or adding a new one needs no other edit.
 */
import { z } from 'zod';
import { TIERS } from '../modules/core/tier';
import { MANDATORY_TAGS } from '../modules/core/tags';
import { accountIdSchema, cidrSchema, regionSchema, roleArnSchema } from '../modules/core/schemas';
import { networkConfigSchema } from '../modules/network/config-schema';
import { servicesConfigSchema } from '../modules/containers/config-schema';
import { secretsConfigSchema } from '../modules/secrets/config-schema';
import { observabilityConfigSchema } from '../modules/observability/config-schema';

export const SEGMENTS = ['prod', 'nonprod', 'shared'] as const;
export type Segment = (typeof SEGMENTS)[number];

const ENV_NAME = /^[a-z][a-z0-9-]{1,19}$/;

const tagsSchema = z
  .object(
    Object.fromEntries(
      MANDATORY_TAGS.map((tag) => [
        tag,
        z.string({ required_error: `is required: every resource is tagged with ${MANDATORY_TAGS.join(', ')}` }).min(1),
      ]),
    ) as Record<(typeof MANDATORY_TAGS)[number], z.ZodString>,
  )
  .catchall(z.string());

const promotionSchema = z
  .object({
    /** The environment changes come from; absent for the start of the chain. */
    from: z.string().optional(),
  })
  .strict();

/** Account-level facts of the organization, declared once, in the `shared` environment. */
const organizationSchema = z
  .object({
    /** AWS Organizations id: resource policies keep access inside it. */
    id: z.string().regex(/^o-[a-z0-9]{10,32}$/, { message: 'must be an AWS Organizations id such as o-a1b2c3d4e5' }),
    /** Short prefix of globally unique names (buckets). */
    namePrefix: z.string().regex(/^[a-z][a-z0-9-]{1,20}$/),
    accounts: z
      .object({
        logArchive: z.object({ accountId: accountIdSchema, deployRoleArn: roleArnSchema }).strict(),
        tooling: z.object({ accountId: accountIdSchema, deployRoleArn: roleArnSchema }).strict(),
      })
      .strict(),
    /** The remote state of every stack, in the tooling account. */
    state: z
      .object({
        bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/),
        region: regionSchema,
        /** Role every backend assumes to read and write state. */
        roleArn: roleArnSchema,
        /**
         * Set once the bootstrap stack's local state has been migrated into the bucket
         * (README: "Bootstrap"); from then on bootstrap uses the S3 backend like every stack.
         * @default false
         */
        bootstrapMigrated: z.boolean().default(false),
      })
      .strict(),
    /**
     * RAM sharing with AWS Organizations is enabled (a one-time switch in the management account:
     * `aws ram enable-sharing-with-aws-organization`). The Transit Gateway is shared with the
     * organization's accounts without external principals, which RAM allows only when it is; synth
     * fails until this states it (README, "Accounts and roles").
     * @default false
     */
    ramSharingWithOrganization: z.boolean().default(false),
    github: z
      .object({
        repository: z.string().regex(/^[\w.-]+\/[\w.-]+$/, { message: 'must be owner/name' }),
        protectedBranch: z.string().min(1).default('main'),
      })
      .strict(),
    transitGateway: z
      .object({
        /** Private ASN of the hub. @default 64512 */
        asn: z.number().int().min(64512).max(65534).default(64512),
        /** Accept attachments from shared accounts without a manual step. @default false */
        autoAcceptAttachments: z.boolean().default(false),
        /** An on-premises range behind a VPN or Direct Connect attachment. */
        onPremises: z
          .object({
            cidrs: z.array(cidrSchema).min(1),
            reachableFrom: z.array(z.string()),
          })
          .strict()
          .optional(),
      })
      .strict()
      .default({}),
  })
  .strict();

export const environmentSchema = z
  .object({
    name: z.string().regex(ENV_NAME, { message: 'must be lower-case letters, digits and dashes, 2-20 characters' }),
    tier: z.enum(TIERS),
    accountId: accountIdSchema,
    region: regionSchema,
    availabilityZones: z.array(z.string()).min(1, { message: 'must list at least one zone' }).max(6),
    vpcCidr: cidrSchema,
    /** Transit Gateway segment. @default - `shared` for the organization environment, else by tier */
    segment: z.enum(SEGMENTS).optional(),
    /** Place in the promotion chain; absent when the environment is not promoted into. */
    promotion: promotionSchema.optional(),
    tags: tagsSchema,
    /** Role the AWS provider assumes for this environment's stacks. */
    deployRoleArn: roleArnSchema,
    /** Read-only role the pull-request plans assume. @default - `platform-plan` in the same account */
    planRoleArn: roleArnSchema.optional(),
    network: networkConfigSchema.default({}),
    /** Container services of this environment (ECS on Fargate). */
    services: servicesConfigSchema,
    /** Secrets of this environment (Secrets Manager + KMS). */
    secrets: secretsConfigSchema,
    /** Alert routing, alarm thresholds, backups. */
    observability: observabilityConfigSchema,
    /** Values that move between environments by promotion (feature flags, module settings). */
    promotable: z.record(z.union([z.string(), z.number(), z.boolean()])).default({}),
    organization: organizationSchema.optional(),
  })
  .strict();

/** What a config file writes (defaults not yet applied). */
export type EnvironmentInput = z.input<typeof environmentSchema>;
/** A validated environment, defaults applied. */
export type EnvironmentConfig = z.output<typeof environmentSchema> & { readonly segment: Segment };
export type OrganizationConfig = z.output<typeof organizationSchema>;
