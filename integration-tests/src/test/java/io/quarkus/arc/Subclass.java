package io.quarkus.arc;

/**
 * A stand-in for Quarkus ArC's marker interface of its interception subclasses (the real one has this name), so
 * that a test can show the agent recognising such a class by its interfaces, read from its class file.
 */
public interface Subclass {
}
