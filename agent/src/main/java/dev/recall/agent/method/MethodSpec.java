package dev.recall.agent.method;

import dev.recall.agent.config.MethodSignature;
import dev.recall.agent.key.KeyTemplate;

/**
 * Everything decided about one cached method once its class is seen: annotation and file merged,
 * template compiled. Immutable.
 *
 * @param signature the method
 * @param returnType the declared return type, and what its calls give back
 * @param region the region name
 * @param key the compiled key template
 * @param settings what the method does with the region, and the settings of that kind
 * @param source where the settings came from ({@code @Cached}, {@code recall.yml:12}, or both)
 * @param byReceiver whether entries are kept apart per receiver state: an instance method with a region of
 *     its own, not {@code shared}, whose key does not name the receiver's state itself
 * @param exceptions the exception cache of a JSR-107 {@code @CacheResult(exceptionCacheName = ...)}; {@code null}: the
 *     method's exceptions are never cached
 */
public record MethodSpec(MethodSignature signature, ReturnType returnType, String region, KeyTemplate key,
                         MethodSettings settings, String source, boolean byReceiver, ExceptionCaching exceptions) {

    /** A method whose exceptions are not cached. */
    public MethodSpec(MethodSignature signature, ReturnType returnType, String region, KeyTemplate key,
                      MethodSettings settings, String source, boolean byReceiver) {
        this(signature, returnType, region, key, settings, source, byReceiver, null);
    }

    /** The same method, with an exception cache. */
    public MethodSpec withExceptions(ExceptionCaching caching) {
        return new MethodSpec(signature, returnType, region, key, settings, source, byReceiver, caching);
    }

    /** A method whose receiver decides nothing (static, shared, or an eviction). */
    public MethodSpec(MethodSignature signature, ReturnType returnType, String region, KeyTemplate key,
                      MethodSettings settings, String source) {
        this(signature, returnType, region, key, settings, source, false);
    }

    public boolean returnsValue() {
        return returnType.kind() != ReturnType.Kind.VOID;
    }

    public int arity() {
        return signature.arity();
    }

    /** The entries' settings of a reading or writing method; {@code null} for an eviction, which stores none. */
    public MethodSettings.Entries entries() {
        if (settings instanceof MethodSettings.Read r) {
            return r.entries();
        }
        if (settings instanceof MethodSettings.Write w) {
            return w.entries();
        }
        return null;
    }
}
