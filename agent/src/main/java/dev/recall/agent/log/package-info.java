/**
 * The agent's own voice: one line per event on stderr, prefixed {@code [recall]}. A leaf.
 */
package dev.recall.agent.log;
