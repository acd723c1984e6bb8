/**
 * The counters the hit path writes, importing nothing of the agent: hits, misses, load latencies, remote counts
 * and the JFR events of loads and refreshes. A leaf, so the hit path depends on nothing that shows the figures;
 * {@code telemetry} reads them from above.
 */
package dev.recall.agent.metrics;
