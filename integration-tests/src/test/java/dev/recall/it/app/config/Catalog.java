package dev.recall.it.app.config;

/** The rule names this interface's method: every implementation is cached. */
public interface Catalog {
    String lookup(String name);
}
