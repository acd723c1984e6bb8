/**
 * The Redis and two-level stores: connection and breaker, signed envelopes, cross-JVM load locks,
 * invalidations. Part of the store layer; also uses codec for values and the bridge for the cached null.
 */
package dev.recall.agent.store.remote;
