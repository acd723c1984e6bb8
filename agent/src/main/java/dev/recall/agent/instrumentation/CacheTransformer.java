package dev.recall.agent.instrumentation;

import dev.recall.agent.log.Log;
import dev.recall.agent.method.CachedMethod;
import dev.recall.agent.method.MethodRegistry;
import dev.recall.agent.method.MethodSettings;
import dev.recall.agent.method.MethodSpec;
import dev.recall.agent.config.StrategyKind;
import dev.recall.bridge.Bridge;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodTooLargeException;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Weaves each cached method of a class as it is loaded (or retransformed, after an attach): parses the
 * class file, asks the {@link MethodAnalyzer} which methods are cached, registers each with the bridge
 * and weaves its id into the method ({@link AdviceWeaver}). A class it cannot weave loads unchanged; the
 * failure is counted and said once.
 *
 * <p>Called concurrently by class-loading threads; it keeps no state of its own, and its collaborators
 * are thread-safe.
 */
final class CacheTransformer implements ClassFileTransformer {

    private final MethodAnalyzer analyzer;
    private final MethodRegistry registry;
    private final Instrumentation instrumentation;
    private final LongAdder failures;

    CacheTransformer(MethodAnalyzer analyzer, MethodRegistry registry, Instrumentation instrumentation, LongAdder failures) {
        this.analyzer = analyzer;
        this.registry = registry;
        this.instrumentation = instrumentation;
        this.failures = failures;
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain,
                            byte[] bytes) {
        try {
            byte[] woven = weave(loader, bytes);
            if (woven != null && module != null && module.isNamed()) {
                letRead(module);
            }
            return woven;
        } catch (Throwable t) {
            failures.increment();
            String type = name == null ? "a class" : name.replace('/', '.');
            Log.once("instrument|" + type, "could not instrument " + type + "; it runs uncached", t);
            return null;
        }
    }

    /**
     * The woven class file, or {@code null} if the class has nothing cached. Failures are per method: a
     * method that cannot be woven (its code would pass the JVM's 64 KB limit, a write-back in a class file
     * older than Java 5, the weaver failed) is refused on its own, and the class is woven again from its
     * original bytes without it, so its other methods are still cached.
     */
    byte[] weave(ClassLoader loader, byte[] bytes) {
        List<MethodAnalyzer.Found> found = analyzer.analyze(loader, parse(bytes));
        if (found.isEmpty()) {
            return null;
        }
        Map<String, Integer> ids = new HashMap<>();
        for (MethodAnalyzer.Found f : found) {
            int id = registry.register(f.spec(), loader);
            // Beyond maxMethods: the method keeps its bytecode and runs uncached (the registry said so once).
            if (id >= 0) {
                ids.put(f.method().name + f.method().desc, id);
                if (f.refusal() != null) {
                    site(id).refuse(f.refusal());
                }
            }
        }
        while (true) {
            ClassNode type = parse(bytes);
            int version = type.version & 0xFFFF;
            boolean frames = version >= Opcodes.V1_6;
            boolean woven = false;
            String failed = null;
            for (MethodAnalyzer.Found f : found) {
                String method = f.method().name + f.method().desc;
                Integer id = ids.get(method);
                // A refused reader is left as it is; a refused writer is woven all the same, to invalidate
                // what it writes, or readers of its region would keep serving what it replaced.
                if (id == null || site(id).refusedReason() != null && !(f.spec().settings() instanceof MethodSettings.Write)) {
                    continue;
                }
                AdviceWeaver.Kind kind = kind(f.spec());
                if (kind == AdviceWeaver.Kind.WRITE_BACK && version < Opcodes.V1_5) {
                    // The woven code names the class with a class constant, which older class files cannot hold.
                    site(id).refuse("write-back needs a class compiled for Java 5 or later, and "
                            + type.name.replace('/', '.') + " is older");
                    continue;
                }
                try {
                    AdviceWeaver.weave(type.name, find(type, f.method()), id, kind, frames);
                    woven = true;
                } catch (RuntimeException e) {
                    site(id).refuse("its code could not be woven (" + e + ")");
                    failed = method;
                    break;
                }
            }
            if (failed != null) {
                continue; // that method's node may be half woven: start again from the original bytes
            }
            if (!woven) {
                return null;
            }
            // Maximums only: the weaver keeps every frame right itself, and computing frames would load classes.
            ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS);
            type.accept(writer);
            try {
                return writer.toByteArray();
            } catch (MethodTooLargeException e) {
                Integer id = ids.get(e.getMethodName() + e.getDescriptor());
                if (id == null || site(id).refusedReason() != null) {
                    throw e; // a method we did not weave is too large: nothing of ours to take out
                }
                site(id).refuse("its code with the woven calls would pass the JVM's limit of 64 KB per method; "
                        + "the class's other cached methods are cached");
            }
        }
    }

    private static ClassNode parse(byte[] bytes) {
        ClassNode type = new ClassNode();
        new ClassReader(bytes).accept(type, ClassReader.EXPAND_FRAMES);
        return type;
    }

    /** The method of a fresh parse that {@code analysed} (from the first parse) describes. */
    private static MethodNode find(ClassNode type, MethodNode analysed) {
        for (MethodNode m : type.methods) {
            if (m.name.equals(analysed.name) && m.desc.equals(analysed.desc)) {
                return m;
            }
        }
        throw new IllegalStateException("no method " + analysed.name + analysed.desc + " in a second parse of " + type.name);
    }

    private static CachedMethod site(int id) {
        return (CachedMethod) Bridge.site(id);
    }

    private static AdviceWeaver.Kind kind(MethodSpec spec) {
        if (spec.settings() instanceof MethodSettings.Read) {
            return AdviceWeaver.Kind.READ;
        }
        if (spec.settings() instanceof MethodSettings.Write w && w.strategy() == StrategyKind.WRITE_BACK) {
            return AdviceWeaver.Kind.WRITE_BACK;
        }
        return AdviceWeaver.Kind.WRITE;
    }

    /** Woven code in a named module calls the bridge, in the bootstrap loader's unnamed module. */
    private void letRead(Module module) {
        Module bridge = Bridge.class.getModule();
        if (!module.canRead(bridge)) {
            instrumentation.redefineModule(module, Set.of(bridge), Map.of(), Map.of(), Set.of(), Map.of());
        }
    }
}
