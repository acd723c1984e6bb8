package dev.recall.agent.instrumentation;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.ClassNode;

/**
 * Reads the outline of a type (supertypes, methods and fields, no code) from its class file as its class
 * loader would find it, without loading the class: while a class is being transformed its supertypes and
 * parameter types may not be loaded yet, and loading them from inside a transformer could deadlock.
 *
 * <p>Outlines are kept per class loader, the least recently used dropped beyond a bound, and the loader
 * held weakly (an outline holds only names), so neither a large application nor a redeployed web
 * application makes them grow without end. Plain JDK maps rather than Caffeine: this runs while the
 * application starts, when the first use of Caffeine costs tens of milliseconds of class loading.
 *
 * <p>Shared by the class-loading threads; every access to the maps holds this object's lock (reading a
 * class file happens outside it), and an outline is never changed once read.
 */
final class ClassFiles {

    private static final int TYPES_PER_LOADER = 4_000;
    private static final int OUTLINE = ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES;

    /** By loader ({@code null} for the bootstrap loader, which WeakHashMap allows). */
    private final Map<ClassLoader, Map<String, Optional<ClassNode>>> outlines = new WeakHashMap<>();

    /**
     * The outline of {@code internalName} ({@code com/acme/Repo}) as {@code loader} sees it.
     *
     * @throws IllegalStateException if the class file cannot be found or read
     */
    ClassNode outline(ClassLoader loader, String internalName) {
        Optional<ClassNode> found;
        synchronized (this) {
            found = byLoader(loader).get(internalName);
        }
        if (found == null) {
            found = Optional.ofNullable(read(loader, internalName));
            synchronized (this) {
                byLoader(loader).put(internalName, found);
            }
        }
        return found.orElseThrow(() -> new IllegalStateException("class file of " + internalName.replace('/', '.')
                + " not found"));
    }

    private Map<String, Optional<ClassNode>> byLoader(ClassLoader loader) {
        return outlines.computeIfAbsent(loader, l -> new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Optional<ClassNode>> eldest) {
                return size() > TYPES_PER_LOADER;
            }
        });
    }

    private static ClassNode read(ClassLoader loader, String internalName) {
        byte[] bytes = bytes(loader, internalName);
        if (bytes == null) {
            return null;
        }
        try {
            ClassNode node = new ClassNode();
            new ClassReader(bytes).accept(node, OUTLINE);
            return node;
        } catch (RuntimeException unreadable) {
            return null;
        }
    }

    /** The class file's bytes, or {@code null} if the loader has none. */
    static byte[] bytes(ClassLoader loader, String internalName) {
        String resource = internalName + ".class";
        try (InputStream in = loader == null ? ClassLoader.getSystemResourceAsStream(resource) : loader.getResourceAsStream(resource)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
