/**
 * The settings: the YAML file, the rules and their patterns, durations, the kinds of strategy and store,
 * method signatures. Each setting of a cached method is described once, in {@link dev.recall.agent.config.Settings}:
 * the readers of {@code defaults:}, {@code methods:} and {@code caches:} and the precedence of rule over annotation
 * over defaults ({@link dev.recall.agent.config.Precedence}) follow from it. Stands beside every layer; uses only
 * codec (to check class patterns) and log.
 */
package dev.recall.agent.config;
