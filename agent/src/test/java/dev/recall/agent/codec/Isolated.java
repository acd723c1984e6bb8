package dev.recall.agent.codec;

/** A public top-level record, so a test can define a second copy of it in a class loader of its own. */
public record Isolated(int x, int y) {
}
