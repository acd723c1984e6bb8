package dev.recall.agent.instrumentation;

import dev.recall.agent.log.Log;
import dev.recall.agent.method.MethodRegistry;
import dev.recall.agent.method.MethodSettings;
import dev.recall.agent.method.MethodSpec;
import dev.recall.agent.config.StrategyKind;
import dev.recall.bridge.Bridge;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.ClassNode;

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

    /** The woven class file, or {@code null} if the class has nothing cached. */
    byte[] weave(ClassLoader loader, byte[] bytes) {
        ClassReader reader = new ClassReader(bytes);
        ClassNode type = new ClassNode();
        reader.accept(type, ClassReader.EXPAND_FRAMES);
        List<MethodAnalyzer.Found> found = analyzer.analyze(loader, type);
        if (found.isEmpty()) {
            return null;
        }
        int version = type.version & 0xFFFF;
        AdviceWeaver.Kind[] kinds = new AdviceWeaver.Kind[found.size()];
        for (int i = 0; i < kinds.length; i++) {
            kinds[i] = kind(found.get(i).spec());
            if (kinds[i] == AdviceWeaver.Kind.WRITE_BACK && version < Opcodes.V1_5) {
                // The woven code names the class with a class constant, which older class files cannot hold;
                // refused before any method is registered, so nothing is half done.
                throw new IllegalStateException("write-back needs a class compiled for Java 5 or later; "
                        + type.name.replace('/', '.') + " is older, so none of its methods is cached");
            }
        }
        boolean frames = version >= Opcodes.V1_6;
        boolean woven = false;
        for (int i = 0; i < kinds.length; i++) {
            MethodAnalyzer.Found f = found.get(i);
            int id = registry.register(f.spec(), loader);
            // Beyond maxMethods: the method keeps its bytecode and runs uncached (the registry said so once).
            if (id >= 0) {
                AdviceWeaver.weave(type.name, f.method(), id, kinds[i], frames);
                woven = true;
            }
        }
        if (!woven) {
            return null;
        }
        // Maximums only: the weaver keeps every frame right itself, and computing frames would load classes.
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        type.accept(writer);
        return writer.toByteArray();
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
