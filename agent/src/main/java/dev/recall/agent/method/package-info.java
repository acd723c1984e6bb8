/**
 * One cached method at run time: its spec, key and strategy. A hit happens in {@link dev.recall.agent.method.ReadMethod},
 * a miss is owned by {@code Load}. Uses store, key, codec (copies of values), metrics, config, log and the
 * bridge ({@code Site}).
 */
package dev.recall.agent.method;
