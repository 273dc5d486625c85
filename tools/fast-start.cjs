// Preloaded (`node -r`) by the synth entry points, after tsx's require hook.
// cdktf captures a full stack trace for every token it creates; with source maps on (tsx turns
// them on), each capture is mapped back through the source maps, which costs about a third of
// a synth. Errors the platform reports are messages, not stack traces, so they are off here.
process.setSourceMapsEnabled(false);
