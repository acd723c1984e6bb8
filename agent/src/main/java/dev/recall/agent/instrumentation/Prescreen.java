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
import java.util.concurrent.ConcurrentHashMap;

/**
 * Lets a class through to the weaver only if it could have something to cache: its constant pool names
 * one of our annotations, or it or one of its supertypes, however far up, matches a rule of the file.
 * A class is transformed before its supertypes are loaded, so a supertype not seen yet is read from its
 * class loader and screened the same way; every verdict is remembered, and the supertypes an
 * application has are far fewer than its classes. Everything else, which is nearly every class an
 * application loads, costs a scan of its constant pool instead of a full type description.
 *
 * <p>Shared by the class-loading threads; its one piece
 * of state is a concurrent map of verdicts by type name.
 */
final class Prescreen implements ClassFileTransformer {

    private static final byte[] CACHED = Annotations.CACHED.getBytes(StandardCharsets.UTF_8);
    private static final byte[] CACHE_EVICT = Annotations.CACHE_EVICT.getBytes(StandardCharsets.UTF_8);

    private final ClassFileTransformer next;
    private final List<MethodPattern> patterns = new ArrayList<>();
    private final Map<String, Boolean> underRule = new ConcurrentHashMap<>();
    /** Whether each class named exactly by a rule is an interface, once its class file has been found. */
    private final Map<String, Boolean> namesInterface = new ConcurrentHashMap<>();
    private final boolean wildcards;
    private final Ignores ignores = new Ignores();

    Prescreen(ClassFileTransformer next, RecallConfig config) {
        this.next = next;
        config.methods().forEach(r -> patterns.add(r.pattern()));
        config.evictions().forEach(r -> patterns.add(r.pattern()));
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
        if (header.hasUtf8(CACHED) || header.hasUtf8(CACHE_EVICT)) {
            return true;
        }
        if (patterns.isEmpty()) {
            return false;
        }
        return ruleMayNameInterface(loader) ? underRule(loader, internalName, header) : matches(internalName);
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

    private boolean underRule(ClassLoader loader, String internalName, ClassFileHeader header) {
        Boolean known = underRule.get(internalName);
        if (known != null) {
            return known;
        }
        boolean under = matches(internalName);
        for (String supertype : header.supertypes()) {
            if (under) {
                break;
            }
            under = matches(supertype) || supertypeUnderRule(loader, supertype);
        }
        underRule.put(internalName, under);
        return under;
    }

    private boolean supertypeUnderRule(ClassLoader loader, String internalName) {
        Boolean known = underRule.get(internalName);
        if (known != null) {
            return known;
        }
        byte[] bytes = ClassFiles.bytes(loader, internalName);
        if (bytes == null) {
            underRule.put(internalName, false);
            return false;
        }
        try {
            return underRule(loader, internalName, ClassFileHeader.read(bytes));
        } catch (IllegalArgumentException unreadable) {
            return false;
        }
    }

    private boolean matches(String internalName) {
        String dotted = internalName.replace('/', '.');
        for (MethodPattern p : patterns) {
            if (p.matchesType(dotted)) {
                return true;
            }
        }
        return false;
    }
}
