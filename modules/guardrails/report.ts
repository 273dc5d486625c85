/** What the pack reports per stack, and how the synth prints it. */
import type { Tier } from '../core/tier';
import type { Severity } from './rule';

export interface Finding {
  readonly ruleId: string;
  readonly level: Severity;
  readonly stack: string;
  /** Construct path of the resource (or of the construct a bad suppression is on). */
  readonly path: string;
  /** Terraform address, or `-` when the finding is not about one resource. */
  readonly address: string;
  /** What is wrong. */
  readonly message: string;
  /** How to fix it. */
  readonly fix: string;
}

/** A valid suppression and what it suppressed in this stack. */
export interface SuppressionEntry {
  readonly ruleId: string;
  readonly reason: string;
  /** Path of the construct the suppression is set on. */
  readonly path: string;
  /** Resources whose finding it suppressed. */
  readonly suppressedAddresses: readonly string[];
}

export interface StackReport {
  readonly stack: string;
  readonly environment: string;
  readonly tier: Tier;
  /** Distinct rules that applied to at least one resource. */
  readonly rulesChecked: number;
  /** Applicable (rule, resource) pairs: passed + suppressed + warned + failed. */
  readonly checks: number;
  readonly passed: number;
  readonly suppressed: number;
  /** Checks with a warning finding. */
  readonly warned: number;
  /** Checks with an error finding (a rule that threw included). */
  readonly failed: number;
  /** Unsuppressed findings, errors first. */
  readonly findings: readonly Finding[];
  readonly suppressions: readonly SuppressionEntry[];
}

export function errorsOf(reports: readonly StackReport[]): Finding[] {
  return reports.flatMap((report) => report.findings.filter((finding) => finding.level === 'error'));
}

export function warningsOf(reports: readonly StackReport[]): Finding[] {
  return reports.flatMap((report) => report.findings.filter((finding) => finding.level === 'warning'));
}

/** `ERROR PLAT-S3-2 aws_s3_bucket.logs [dev-network/logs/bucket]: ...` and the fix on the next line. */
export function formatFinding(finding: Finding): string {
  return `${finding.level.toUpperCase()} ${finding.ruleId} ${finding.address} [${finding.path}]: ${finding.message}\n    fix: ${finding.fix}`;
}

/** Thrown by the synth when any stack has an error finding; nothing is written. */
export class GuardrailError extends Error {
  constructor(readonly reports: readonly StackReport[]) {
    const errors = errorsOf(reports);
    const stacks = new Set(errors.map((finding) => finding.stack));
    super(
      [`guardrails: ${errors.length} error(s) in ${stacks.size} stack(s); nothing was synthesized`, ...errors.map(formatFinding)].join('\n'),
    );
    this.name = 'GuardrailError';
  }
}

/** Every valid suppression with its reason, one line each. */
export function formatSuppressions(reports: readonly StackReport[]): string {
  return reports
    .flatMap((report) =>
      report.suppressions.map(
        (s) => `${s.ruleId} [${s.path}] (${s.suppressedAddresses.length} finding${s.suppressedAddresses.length === 1 ? '' : 's'}): ${s.reason}`,
      ),
    )
    .join('\n');
}

/** The compliance table: one row per stack. */
export function formatComplianceSummary(reports: readonly StackReport[]): string {
  const rows = [
    ['stack', 'tier', 'rules', 'checks', 'passed', 'suppressed', 'warned', 'failed'],
    ...reports.map((r) => [r.stack, r.tier, r.rulesChecked, r.checks, r.passed, r.suppressed, r.warned, r.failed].map(String)),
  ];
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows
    .map((row) => row.map((cell, column) => (column < 2 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ').trimEnd())
    .join('\n');
}
