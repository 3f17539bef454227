// V8 sizes its heap for the machine, not for a container: on a node with plenty of memory, a burst of
// reconciles grows the young generation to 64 MiB per semi-space and the old one far past the live
// data, and the process keeps that memory. The operator's live data is small (the cache of the
// objects it follows), so it runs with a small young generation and an old generation capped well
// above that; both are where a container's memory limit should be set from (see the README).
export const RECOMMENDED_NODE_OPTIONS = '--max-semi-space-size=4 --max-old-space-size=128';
