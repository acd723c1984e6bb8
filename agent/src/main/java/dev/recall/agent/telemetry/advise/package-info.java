/**
 * The advisor's report as people and the agent read it: the ranked table ({@code advise PID}, the Advisor
 * MBean) and the proposed configuration file. Uses advise and config.
 */
package dev.recall.agent.telemetry.advise;
