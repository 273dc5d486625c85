/**
 * The shipped environments plus `count` generated workload environments (copies of staging
 * with their own account, CIDR and tags), to measure how synth scales with environments.
 */
import staging from '../../environments/staging/config';
import { copyEnvironmentsDir, deriveEnvironment, writeEnvironmentConfig } from '../../environments/files';

/**
 * Generated environments take 10.128.0.0/16 upwards, an aligned pool as an IPAM pool allocates
 * it, so that the ranges the shared VPC's NACLs admit summarize into a few entries (a NACL holds
 * at most 40 rules a direction); the shipped environments stay below.
 */
const FIRST_GENERATED_SECOND_OCTET = 128;
const MAX_GENERATED = 64;

export function generatedEnvironmentsDir(count: number): string {
  if (count > MAX_GENERATED) throw new Error(`at most ${MAX_GENERATED} generated environments fit the aligned pool 10.128.0.0/10`);
  const dir = copyEnvironmentsDir(undefined, `bench-envs-${count}-`);
  for (let index = 1; index <= count; index++) {
    const name = `gen-${String(index).padStart(3, '0')}`;
    const accountId = String(900000000000 + index);
    const vpcCidr = `10.${FIRST_GENERATED_SECOND_OCTET + index - 1}.0.0/16`;
    writeEnvironmentConfig(dir, name, deriveEnvironment(staging, { name, accountId, vpcCidr }));
  }
  return dir;
}
