/**
 * The command line of the agent jar: {@code attach}, {@code stats} and {@code advise}, which talk to another JVM.
 * May use every layer below it; nothing of the agent uses it but the entry point.
 */
package dev.recall.agent.cli;
