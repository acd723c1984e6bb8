package dev.recall;

/**
 * How a cached value is handed to callers ({@link Cached#copy()}, YAML {@code copy:}).
 */
public enum Copy {

    /**
     * The default: a value of an immutable type (String, boxed primitives, enums, {@code java.time},
     * {@code BigDecimal}, {@code UUID}, records and final classes whose fields are final and themselves
     * immutable, {@code List.of}-style unmodifiable collections of immutables) is shared as it is; any
     * other is held by value, so a caller that changes what it got (binds a form into a returned entity,
     * adds to a returned list) never changes what the next caller gets.
     */
    AUTO,

    /**
     * Every caller gets the same object. The fastest, and right only when no caller ever changes a result.
     */
    REFERENCE,

    /** Every value is held by value and each caller gets its own copy, even of a type that looks immutable. */
    VALUE
}
