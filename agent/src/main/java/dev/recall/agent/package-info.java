/**
 * The agent itself: the entry points ({@code premain}, {@code agentmain}, {@code main}) and the wiring of
 * one running agent. The top of the layers: it may use every package below.
 */
package dev.recall.agent;
