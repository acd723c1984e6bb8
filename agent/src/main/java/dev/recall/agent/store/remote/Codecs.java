package dev.recall.agent.store.remote;

import dev.recall.agent.store.Accessor;
import dev.recall.agent.codec.ClassAllowlist;
import dev.recall.agent.codec.ValueCodec;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The value codecs of the Redis store. With {@code allowClasses} configured, one codec for everything;
 * without it, each method may read back the classes of its own package and below (where its model
 * classes usually are), and a class elsewhere is refused with a message saying what to allow.
 *
 * <p>Shared by all threads; codecs are thread-safe and created once per package.
 */
final class Codecs {

    private final ValueCodec configured;
    private final ConcurrentHashMap<String, ValueCodec> byPackage = new ConcurrentHashMap<>();
    /** By declaring class: read on every Redis hit, so the package is not cut out of the class name each time. */
    private final ConcurrentHashMap<String, ValueCodec> byClass = new ConcurrentHashMap<>();

    Codecs(List<String> allowClasses) {
        this.configured = allowClasses.isEmpty() ? null : new ValueCodec(ClassAllowlist.of(allowClasses));
    }

    ValueCodec forMethod(Accessor accessor) {
        if (configured != null) {
            return configured;
        }
        String className = accessor.signature().className();
        ValueCodec codec = byClass.get(className);
        return codec != null ? codec : byClass.computeIfAbsent(className, c -> byPackage.computeIfAbsent(
                accessor.signature().packageName(), p -> new ValueCodec(ClassAllowlist.of(p.isEmpty() ? List.of() : List.of(p + ".**")))));
    }
}
