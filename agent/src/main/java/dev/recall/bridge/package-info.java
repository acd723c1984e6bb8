/**
 * The bootstrap bridge: the only classes that advice woven into application code refers to.
 *
 * <p>The agent defines this package's classes (and nothing else) in the bootstrap class loader
 * ({@code BootstrapBridge}; appending a jar to the boot class path is only its fallback), so a class loaded by any
 * class loader, however isolated, resolves it. It uses JDK types only and holds no logic: each
 * cached method is a {@link dev.recall.bridge.Site} that the agent registers under a small integer id.
 */
package dev.recall.bridge;
