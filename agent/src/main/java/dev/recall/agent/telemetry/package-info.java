/**
 * JMX, alerts and exporters, which read the hit path's counters ({@code metrics}) from above: the MBeans
 * ({@code jmx}), the alerts and their webhooks ({@code alert}), the Micrometer meters with their Prometheus and OTLP
 * exports and the periodic sampler, and the advisor's proposal as people read it ({@code advise}). Uses advise,
 * method, store, metrics and config; nothing below imports it, so no hit-path class depends on how figures are shown.
 */
package dev.recall.agent.telemetry;
