package dev.recall.agent.instrumentation;

import dev.recall.agent.config.MethodPattern;
import dev.recall.agent.config.RecallConfig;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.IllegalClassFormatException;
import java.nio.charset.StandardCharsets;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Lets a class through to Byte Buddy only if it could have something to cache: its constant pool names
 * one of our annotations, or it or one of its supertypes, however far up, matches a rule of the file.
 * A class is transformed before its supertypes are loaded, so a supertype not seen yet is read from its
 * class loader and screened the same way; every verdict is remembered, and the supertypes an
 * application has are far fewer than its classes. Everything else, which is nearly every class an
 * application loads, costs a scan of its constant pool instead of a full type description.
 *
 * <p>Used for the transformer installed at startup. Shared by the class-loading threads; its one piece
 * of state is a concurrent map of verdicts by type name.
 */
final class Prescreen implements ClassFileTransformer {

    private static final byte[] CACHED = "Ldev/recall/Cached;".getBytes(StandardCharsets.UTF_8);
    private static final byte[] CACHE_EVICT = "Ldev/recall/CacheEvict;".getBytes(StandardCharsets.UTF_8);

    private final ClassFileTransformer next;
    private final List<MethodPattern> patterns = new ArrayList<>();
    private final Map<String, Boolean> underRule = new ConcurrentHashMap<>();
    private final Ignores ignores = new Ignores();

    Prescreen(ClassFileTransformer next, RecallConfig config) {
        this.next = next;
        config.methods().forEach(r -> patterns.add(r.pattern()));
        config.evictions().forEach(r -> patterns.add(r.pattern()));
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
        if (internalName == null || ignores.ignoresName(internalName.replace('/', '.'))) {
            return false;
        }
        ClassFileHeader header;
        try {
            header = ClassFileHeader.read(bytes);
        } catch (IllegalArgumentException unreadable) {
            return true; // let Byte Buddy decide, and report
        }
        if (header.hasUtf8(CACHED) || header.hasUtf8(CACHE_EVICT)) {
            return true;
        }
        return !patterns.isEmpty() && underRule(loader, internalName, header);
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
        byte[] bytes = read(loader, internalName + ".class");
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

    private static byte[] read(ClassLoader loader, String resource) {
        try (InputStream in = loader == null ? ClassLoader.getSystemResourceAsStream(resource) : loader.getResourceAsStream(resource)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException | RuntimeException e) {
            return null;
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
