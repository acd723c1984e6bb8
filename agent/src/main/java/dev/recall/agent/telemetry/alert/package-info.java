/**
 * The {@code alerts:} thresholds, evaluated on the sampler thread and sent as JMX notifications.
 * Part of the telemetry layer: uses its jmx package, method, metrics and config.
 */
package dev.recall.agent.telemetry.alert;
