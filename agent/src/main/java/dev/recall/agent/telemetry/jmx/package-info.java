/**
 * The MBeans ({@code dev.recall:type=Agent}, {@code type=CachedMethod}) over the same figures as Micrometer.
 * Part of the telemetry layer: uses method (and its write-back queues), store, key, metrics, config and log.
 */
package dev.recall.agent.telemetry.jmx;
