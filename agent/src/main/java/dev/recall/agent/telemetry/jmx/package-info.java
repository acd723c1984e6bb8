/**
 * The MBeans ({@code dev.recall:type=Agent}, {@code type=CachedMethod}, {@code type=Advisor}) over the same figures
 * as Micrometer. Part of the telemetry layer: uses method (and its write-back queues), advise, store, key, metrics,
 * config and log.
 */
package dev.recall.agent.telemetry.jmx;
