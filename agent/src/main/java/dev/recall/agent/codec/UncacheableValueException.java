package dev.recall.agent.codec;

/**
 * This one value cannot be copied faithfully, though other results of the same method may be: an uninitialized
 * lazy association of a JPA entity, whose copy would answer {@code null} or throw where the original loads. The
 * caller gets the original as the method returned it, and the result is not stored; the method stays cached.
 * {@link #reason} is a short code (such as {@code uninitialized-lazy-association}) results are counted by.
 */
public final class UncacheableValueException extends CodecException {

    private static final long serialVersionUID = 1L;

    /** An uninitialized lazy collection or proxy (Hibernate). */
    public static final String LAZY_ASSOCIATION = "uninitialized-lazy-association";
    /** An enhanced entity with a lazy attribute (or its whole state) not loaded yet. */
    public static final String LAZY_ATTRIBUTE = "uninitialized-lazy-attribute";

    private final String reason;

    public UncacheableValueException(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
