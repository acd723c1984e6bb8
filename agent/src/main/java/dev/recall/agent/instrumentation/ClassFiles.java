package dev.recall.agent.instrumentation;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.ClassNode;

/**
 * Reads the outline of a type (supertypes, methods and fields, no code) from its class file as its class
 * loader would find it, without loading the class: while a class is being transformed its supertypes and
 * parameter types may not be loaded yet, and loading them from inside a transformer could deadlock.
 *
 * <p>Outlines are kept per class loader, bounded, and weakly keyed by loader, so neither a large
 * application nor a redeployed web application makes them grow without end. Shared by the class-loading
 * threads; Caffeine is thread-safe, the cache is published once through a volatile field, and an outline
 * is never changed once read.
 */
final class ClassFiles {

    private static final Object BOOTSTRAP = new Object();
    private static final int TYPES_PER_LOADER = 4_000;
    private static final int OUTLINE = ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES;

    /** Built on first use, off premain: most classes never need an outline of another. */
    private volatile LoadingCache<Object, Cache<String, Optional<ClassNode>>> outlines;

    /**
     * The outline of {@code internalName} ({@code com/acme/Repo}) as {@code loader} sees it.
     *
     * @throws IllegalStateException if the class file cannot be found or read
     */
    ClassNode outline(ClassLoader loader, String internalName) {
        Optional<ClassNode> found = outlines().get(loader == null ? BOOTSTRAP : loader)
                .get(internalName, name -> Optional.ofNullable(read(loader, name)));
        return found.orElseThrow(() -> new IllegalStateException("class file of " + internalName.replace('/', '.')
                + " not found"));
    }

    private LoadingCache<Object, Cache<String, Optional<ClassNode>>> outlines() {
        LoadingCache<Object, Cache<String, Optional<ClassNode>>> o = outlines;
        if (o == null) {
            synchronized (this) {
                o = outlines;
                if (o == null) {
                    o = Caffeine.newBuilder()
                            .weakKeys()
                            .executor(Runnable::run)
                            .build(loader -> Caffeine.newBuilder().maximumSize(TYPES_PER_LOADER).executor(Runnable::run).build());
                    outlines = o;
                }
            }
        }
        return o;
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
