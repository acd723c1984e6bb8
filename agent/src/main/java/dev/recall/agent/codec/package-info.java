/**
 * Values as bytes for Redis (a compact, allowlisted encoding that never runs Java serialization), and
 * values copied in memory for callers that must not share one ({@code ValueCopier}).
 * A leaf: imports nothing of the agent.
 */
package dev.recall.agent.codec;
