/**
 * Values as bytes for Redis: a compact, allowlisted encoding that never runs Java serialization.
 * A leaf: imports nothing of the agent.
 */
package dev.recall.agent.codec;
