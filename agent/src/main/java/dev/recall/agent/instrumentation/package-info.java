/**
 * Which methods are cached (annotations and rules matched against class files) and the woven code that
 * calls the bridge. Uses method (to register sites), key, config, log and the bridge; never store or telemetry.
 */
package dev.recall.agent.instrumentation;
