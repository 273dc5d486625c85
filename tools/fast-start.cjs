// Preloaded (`node -r`) by the synth entry points, after tsx's require hook. Two costs of
// cdktf 0.21 that the platform does not need, measured on a 25-environment synth (5.7 s):
//
// 1. cdktf captures a full stack trace (Error.stackTraceLimit = Infinity) for every token it
//    creates, only to print it when that token fails to resolve: ~20% of a synth. With
//    PLATFORM_TOKEN_STACK_TRACES=1 the traces are kept, for debugging such a failure.
// 2. With source maps on (tsx turns them on), every one of those captures is mapped back
//    through the source maps. Errors the platform reports are messages, not stack traces.
process.setSourceMapsEnabled(false);
if (process.env.PLATFORM_TOKEN_STACK_TRACES !== '1') {
  // cdktf is final (archived at 0.21.0), so this internal module will not move.
  require('cdktf/lib/tokens/private/stack-trace').captureStackTrace = () => [];
}
