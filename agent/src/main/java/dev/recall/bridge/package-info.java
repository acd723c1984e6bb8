/**
 * The bootstrap bridge: the only classes that advice woven into application code refers to.
 *
 * <p>The agent appends this package (and nothing else) to the bootstrap class path, so a class loaded by
 * any class loader, however isolated, resolves it. It uses JDK types only and holds no logic: each
 * cached method is a {@link dev.recall.bridge.Site} that the agent registers under a small integer id.
 */
package dev.recall.bridge;
