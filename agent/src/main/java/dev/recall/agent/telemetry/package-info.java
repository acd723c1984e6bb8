/**
 * Reads the figures from above: Micrometer meters and the periodic sampler; {@code advise}, the advisor's
 * report and proposed file. Uses advise, method, store, metrics and config; nothing below imports it, so no hit-path class depends on how figures are shown.
 */
package dev.recall.agent.telemetry;
