/** The performance targets of the platform on a 2-core machine (issue "Benchmark"), in one place. */
export const TARGETS = {
  /** Full synth of the default environments, as a share of the time a default project needs only to load `@cdktf/provider-aws`. */
  synthVsProviderLoad: 0.5,
  synthPeakRssMb: 250,
  /** Synth time each added environment may add (slope over 10, 25 and 50 generated environments). */
  perEnvironmentMs: 100,
  render10kMs: 1000,
  /** GitHub refuses longer comments. */
  render10kChars: 65_536,
  npmTestMs: 180_000,
} as const;

/** `--quick` fails only when a target is missed by more than this factor (CI machines are noisy). */
export const QUICK_MARGIN = 1.5;

/** Generated environments of the scaling curve. */
export const SCALING_SIZES = [10, 25, 50] as const;
export const QUICK_SCALING_SIZES = [10, 25] as const;
