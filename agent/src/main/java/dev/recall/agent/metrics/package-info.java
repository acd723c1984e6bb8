/**
 * The counters the hit path writes (hits, misses, load latencies, remote counts). A leaf: imports nothing
 * of the agent, so the hit path depends on nothing that shows the figures.
 */
package dev.recall.agent.metrics;
