package dev.recall.agent.codec;

import java.util.Objects;

/**
 * Turns the results of cached methods into compact bytes for a shared store (Redis) and back, without
 * Java serialization: no {@code readObject}, no {@code readResolve}, and no class is loaded, initialized
 * or instantiated unless {@code redis.allowClasses} ({@link ClassAllowlist}) names it.
 *
 * <p>Written: {@code null}, boxed primitives, strings, enums (by name), {@code BigInteger},
 * {@code BigDecimal}, {@code UUID}, {@code Date}, the {@code java.time} value types, the optionals,
 * primitive and object arrays (element type kept), JDK lists, sets and maps (see
 * {@link CollectionTags} for which class each is read back as), records (through their canonical
 * constructor), and ordinary classes, which need not be {@code Serializable}: their non-static,
 * non-transient fields, superclasses' included, are set on an instance created without running a
 * constructor; exceptions, as their message, stack trace, cause, suppressed exceptions and their application
 * classes' fields (see {@link ThrowableCopier}), for JSR-107's exception caches. Shared references and cycles within
 * one value are kept. A class named by a value is
 * written once per value. The format is described in {@link Tag}.
 *
 * <p>Refused with a {@link CodecException}, so the caller skips caching: lambdas, threads, streams,
 * sockets, class loaders and similar non-values; classes whose fields the agent cannot access (JDK
 * classes other than the above, and application classes extending them with private state); classes
 * outside the allowlist ({@link RejectedClassException}). Reading bytes that are truncated, corrupt or
 * hostile ends in a {@link CodecException} too, never in another exception, unbounded allocation or a
 * stack overflow.
 *
 * <p>Thread-safe: one instance is shared by all threads. It holds only the allowlist; per-class metadata
 * lives in a {@code ClassValue} that keeps no class loader alive; each call has its own state.
 */
public final class ValueCodec {

    private final ClassAllowlist allowlist;

    public ValueCodec(ClassAllowlist allowlist) {
        this.allowlist = Objects.requireNonNull(allowlist, "allowlist");
    }

    /** Encodes {@code value} (which may be {@code null}). */
    public byte[] encode(Object value) throws CodecException {
        return encode(value, Object.class);
    }

    /**
     * Encodes {@code value} to be read back where a {@code declaredType} is expected, typically the
     * cached method's return type: a JDK collection that would be read back as another class (a
     * {@code ConcurrentHashMap} as a {@code LinkedHashMap}) not fitting that type is refused here,
     * rather than handing the caller a value its code cannot cast.
     */
    public byte[] encode(Object value, Class<?> declaredType) throws CodecException {
        Class<?> declared = Objects.requireNonNull(declaredType, "declaredType").isPrimitive() ? Object.class : declaredType;
        try {
            return new Encoder(allowlist).encode(value, declared);
        } catch (RuntimeException e) {
            // Concurrent modification by the application, a failing accessor: either way, not cacheable.
            throw new CodecException("cannot encode a " + (value == null ? null : value.getClass().getName()) + ": " + e, e);
        }
    }

    /**
     * Decodes bytes written by {@link #encode}.
     *
     * @param loader the class loader of the cached method's class; application classes named by the
     *     value are loaded through it, after the allowlist accepted their names
     * @throws RejectedClassException if the value names a class outside the allowlist
     * @throws CodecException if the bytes are not a value this codec wrote, or name classes or fields
     *     that no longer match
     */
    public Object decode(byte[] bytes, ClassLoader loader) throws CodecException, RejectedClassException {
        Objects.requireNonNull(bytes, "bytes");
        try {
            return new Decoder(allowlist, loader, bytes).decode();
        } catch (RuntimeException | LinkageError e) {
            // Factories refusing garbage (DateTimeException, ArithmeticException), a constructor or static
            // initializer of an allowed class failing, incomparable elements of a sorted set...
            throw new CodecException("cannot decode the cached value: " + e, e);
        }
    }

    ClassAllowlist allowlist() {
        return allowlist;
    }
}
