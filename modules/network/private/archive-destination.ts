/** Where flow logs land in the central log archive, and how they are written there. */
import type { FlowLogDestinationOptions } from '@cdktf/provider-aws/lib/flow-log';

/** `arn:aws:s3:::<bucket>/<prefix>`: the destination of a flow log delivered to S3. */
export function archiveDestinationArn(bucketName: string, prefix: string): string {
  return `arn:aws:s3:::${bucketName}/${prefix}`;
}

/**
 * Parquet (smaller, queryable by Athena) in Hive-style hourly partitions. The key layout follows
 * from these options: the archive bucket policy admits `flowLogArchiveKeys` (modules/core/shared-names.ts).
 */
export const ARCHIVE_DESTINATION_OPTIONS: FlowLogDestinationOptions = {
  fileFormat: 'parquet',
  hiveCompatiblePartitions: true,
  perHourPartition: true,
};
