/**
 * The background writer of {@code WRITE_BACK} methods: queues coalesced per key, retries, the drain at
 * shutdown. Part of the method layer; uses store, key, config and log.
 */
package dev.recall.agent.method.writeback;
