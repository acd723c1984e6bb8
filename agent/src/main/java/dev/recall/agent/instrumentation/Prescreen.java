package dev.recall.agent.instrumentation;

import dev.recall.agent.config.MethodPattern;
import dev.recall.agent.config.RecallConfig;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.IllegalClassFormatException;
import java.nio.charset.StandardCharsets;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Lets a class through to the weaver only if it could have something to cache: its constant pool names
 * one of our annotations or JSR-107's, or its name or the name of an interface it implements, however far up,
 * matches a rule of the file (the same test the {@link MethodAnalyzer} applies to its methods). A class is
 * transformed before its supertypes are loaded, so their class files are read through {@link Hierarchy},
 * which keeps them for the analyzer too. Everything else, which is nearly every class an application
 * loads, costs a scan of its constant pool instead of a parse.
 *
 * <p>Shared by the class-loading threads; its state is the rules (immutable), a concurrent map of which
 * rule-named classes are interfaces, and the thread-safe hierarchy.
 */
final class Prescreen implements ClassFileTransformer {

    private static final byte[] CACHED = Annotations.CACHED.getBytes(StandardCharsets.UTF_8);
    private static final byte[] CACHE_EVICT = Annotations.CACHE_EVICT.getBytes(StandardCharsets.UTF_8);
    /** JSR-107's annotations that cache or evict ({@code @CacheDefaults} alone does neither). */
    private static final byte[][] JCACHE = {
            JCacheAnnotations.RESULT.getBytes(StandardCharsets.UTF_8), JCacheAnnotations.PUT.getBytes(StandardCharsets.UTF_8),
            JCacheAnnotations.REMOVE.getBytes(StandardCharsets.UTF_8), JCacheAnnotations.REMOVE_ALL.getBytes(StandardCharsets.UTF_8)};

    private final ClassFileTransformer next;
    private final List<MethodPattern> patterns = new ArrayList<>();
    /** The advised classes, matched by their own names only: every one of them is observed. */
    private final List<MethodPattern> advised;
    /** Whether each class named exactly by a rule is an interface, once its class file has been found. */
    private final Map<String, Boolean> namesInterface = new ConcurrentHashMap<>();
    private final boolean wildcards;
    private final Ignores ignores = new Ignores();
    private final Hierarchy hierarchy;

    Prescreen(ClassFileTransformer next, RecallConfig config, Hierarchy hierarchy) {
        this.next = next;
        this.hierarchy = hierarchy;
        config.methods().forEach(r -> patterns.add(r.pattern()));
        config.evictions().forEach(r -> patterns.add(r.pattern()));
        this.advised = config.advise();
        boolean anyWildcard = false;
        for (MethodPattern p : patterns) {
            anyWildcard |= p.exactClassName() == null;
        }
        this.wildcards = anyWildcard;
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain,
                            byte[] bytes) throws IllegalClassFormatException {
        return mayMatter(loader, name, bytes) ? next.transform(module, loader, name, redefined, domain, bytes) : null;
    }

    @Override
    public byte[] transform(ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain, byte[] bytes)
            throws IllegalClassFormatException {
        return mayMatter(loader, name, bytes) ? next.transform(loader, name, redefined, domain, bytes) : null;
    }

    boolean mayMatter(ClassLoader loader, String internalName, byte[] bytes) {
        if (internalName == null || ignored(internalName)) {
            return false;
        }
        ClassFileHeader header;
        try {
            header = ClassFileHeader.read(bytes);
        } catch (IllegalArgumentException unreadable) {
            return true; // let the weaver try, and report
        }
        if (Ignores.generated(internalName.replace('/', '.'), header.access(), header.interfaces())) {
            return false; // a framework's proxy or subclass: the real method it calls is woven instead
        }
        if (Annotations.READ && (header.hasUtf8(CACHED) || header.hasUtf8(CACHE_EVICT) || namesJCache(header))) {
            return true;
        }
        if (!advised.isEmpty() && (matches(advised, internalName) || Ignores.isJdkProxy(internalName.replace('/', '.'))
                && anyMatches(advised, hierarchy.interfaces(loader, header.superName(), header.interfaces())))) {
            return true; // an advised class, or a JDK proxy of an advised interface (a Spring Data repository)
        }
        if (patterns.isEmpty()) {
            return false;
        }
        if (matches(patterns, internalName)) {
            return true;
        }
        return ruleMayNameInterface(loader) && anyMatches(patterns, hierarchy.interfaces(loader, header.superName(), header.interfaces()));
    }

    private static boolean namesJCache(ClassFileHeader header) {
        for (byte[] descriptor : JCACHE) {
            if (header.hasUtf8(descriptor)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A rule matches a class by its own name or the name of an interface it implements, never of a
     * superclass. So while every rule names one class exactly and none of those is an interface, a
     * class's own name decides, and its supertypes need not be read: the common case, and much cheaper.
     */
    private boolean ruleMayNameInterface(ClassLoader loader) {
        if (wildcards) {
            return true;
        }
        for (MethodPattern p : patterns) {
            String name = p.exactClassName();
            Boolean isInterface = namesInterface.get(name);
            if (isInterface == null) {
                // A class file not found (a nested class, written with '.', is not found this way) counts
                // as maybe an interface, for good: asking again for every class loaded would cost more.
                byte[] bytes = ClassFiles.bytes(loader, name.replace('.', '/'));
                try {
                    isInterface = bytes == null || ClassFileHeader.read(bytes).isInterface();
                } catch (IllegalArgumentException unreadable) {
                    isInterface = true;
                }
                namesInterface.put(name, isInterface);
            }
            if (isInterface) {
                return true;
            }
        }
        return false;
    }

    /** Never woven, by name alone: the JDK, the agent, other bytecode tools. */
    boolean ignored(String internalName) {
        return ignores.ignoresName(internalName.replace('/', '.'));
    }

    private static boolean anyMatches(List<MethodPattern> patterns, Set<String> binaryNames) {
        for (String name : binaryNames) {
            for (MethodPattern p : patterns) {
                if (p.matchesType(name)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean matches(List<MethodPattern> patterns, String internalName) {
        String dotted = internalName.replace('/', '.');
        for (MethodPattern p : patterns) {
            if (p.matchesType(dotted)) {
                return true;
            }
        }
        return false;
    }
}
