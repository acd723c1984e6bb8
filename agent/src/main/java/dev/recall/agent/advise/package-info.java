/**
 * Advise mode: observers woven into the methods of the advised packages instead of caches. Each call is
 * counted and timed; a sample is analysed (arguments and results fingerprinted, argument writes and result
 * changes by callers detected, allocation read); the evidence is judged into verdicts and a proposed
 * configuration (rendered by telemetry). Uses method (its argument-write check), key (fingerprints), metrics
 * (latency histograms), codec (immutability), config, log and the bridge ({@code Site}); nothing above it.
 */
package dev.recall.agent.advise;
