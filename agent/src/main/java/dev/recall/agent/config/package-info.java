/**
 * The settings: the YAML file, the rules and their patterns, durations, the kinds of strategy and store,
 * method signatures. Stands beside every layer; uses only codec (to check class patterns) and log.
 */
package dev.recall.agent.config;
