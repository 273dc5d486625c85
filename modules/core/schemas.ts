/** Field schemas shared by the environment config and every module's config section. */
import { z } from 'zod';
import { isKnownRegion, KNOWN_REGIONS } from './regions';
import { isValidIpv4Cidr } from './cidr';

const ACCOUNT_ID = /^\d{12}$/;
const IAM_ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/[\w+=,.@/-]{1,512}$/;

export const accountIdSchema = z
  .string({ required_error: 'is required: the 12-digit AWS account id' })
  .regex(ACCOUNT_ID, { message: 'must be a 12-digit AWS account id' });

export const regionSchema = z.string().refine(isKnownRegion, {
  message: `must be a known AWS region (${KNOWN_REGIONS.join(', ')})`,
});

export const cidrSchema = z.string().refine(isValidIpv4Cidr, {
  message: 'must be an IPv4 network in CIDR notation with no host bits set, for example 10.20.0.0/16',
});

export const roleArnSchema = z.string().regex(IAM_ROLE_ARN, {
  message: 'must be an IAM role ARN such as arn:aws:iam::123456789012:role/platform-deploy',
});

