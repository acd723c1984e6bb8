/**
 * Which methods are cached (annotations and rules matched against class files), which are observed instead
 * (advise mode), and the woven code that calls the bridge. Uses advise and method (to register sites), key,
 * config, log and the bridge; never store or telemetry.
 */
package dev.recall.agent.instrumentation;
