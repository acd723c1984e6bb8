package dev.recall.agent.instrumentation;

import dev.recall.agent.advise.Advisor;
import dev.recall.agent.config.MethodSignature;
import dev.recall.agent.log.Log;
import dev.recall.agent.method.LazyMethod;
import dev.recall.agent.method.MethodRegistry;
import dev.recall.agent.method.MethodSettings;
import dev.recall.agent.method.MethodSpec;
import dev.recall.agent.config.StrategyKind;
import dev.recall.bridge.Bridge;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
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
    /** The advised classes' candidates and where their observers go; both {@code null} without {@code advise:}. */
    private final AdviseCandidates candidates;
    private final Advisor advisor;
    private final Instrumentation instrumentation;
    private final LongAdder failures;

    CacheTransformer(MethodAnalyzer analyzer, MethodRegistry registry, AdviseCandidates candidates, Advisor advisor,
                     Instrumentation instrumentation, LongAdder failures) {
        this.analyzer = analyzer;
        this.registry = registry;
        this.candidates = candidates;
        this.advisor = advisor;
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
     * original bytes without it, so its other methods are still cached. A class the advisor observes
     * ({@code advise:}) is observed instead, and nothing of it is cached.
     */
    byte[] weave(ClassLoader loader, byte[] bytes) {
        ClassReader reader = new ClassReader(bytes);
        // The advised classes' candidates are chosen by their code; what is cached needs only the methods' outlines.
        ClassNode first = candidates != null ? AnalysisParse.whole(reader) : AnalysisParse.outline(reader);
        if (candidates != null && candidates.advises(loader, first)) {
            return observe(loader, reader, first);
        }
        List<MethodAnalyzer.Found> found = analyzer.analyze(loader, first);
        if (found.isEmpty()) {
            return null;
        }
        Map<String, ClassWeaver.Target> targets = new HashMap<>();
        for (MethodAnalyzer.Found f : found) {
            int id = registry.register(f.spec(), f.evictions(), loader);
            // Beyond maxMethods: the method keeps its bytecode and runs uncached (the registry said so once).
            if (id >= 0) {
                MethodNode m = f.method();
                targets.put(m.name + m.desc, new ClassWeaver.Target(id, kind(f.spec()), m.maxLocals));
                if (f.refusal() != null) {
                    site(id).refuse(f.refusal());
                }
            }
        }
        return ClassWeaver.weave(reader, targets, new ClassWeaver.Plan() {
            @Override
            public boolean skip(int id) {
                // A refused reader is left as it is; a refused writer is woven all the same, to invalidate
                // what it writes, or readers of its region would keep serving what it replaced.
                return site(id).refusedReason() != null && !(site(id).spec().settings() instanceof MethodSettings.Write);
            }

            @Override
            public void refuse(int id, String why) {
                site(id).refuse(why);
            }
        });
    }

    /** Weaves an observer into each candidate method of an advised class. */
    private byte[] observe(ClassLoader loader, ClassReader reader, ClassNode type) {
        Map<String, ClassWeaver.Target> targets = new HashMap<>();
        for (AdviseCandidates.Candidate c : candidates.candidates(loader, type)) {
            MethodNode m = c.method();
            MethodSignature signature = c.signature();
            Type returned = Type.getReturnType(m.desc);
            int id = advisor.observe(signature, returned.getSort() == Type.ARRAY ? returned.getDescriptor().replace('/', '.')
                    : returned.getClassName(), (m.access & Opcodes.ACC_STATIC) != 0);
            if (id >= 0) {
                // Woven as a write is: enter before the body, which always runs, and exit after it.
                targets.put(m.name + m.desc, new ClassWeaver.Target(id, AdviceWeaver.Kind.WRITE, m.maxLocals));
            }
        }
        Set<Integer> dropped = new HashSet<>();
        return ClassWeaver.weave(reader, targets, new ClassWeaver.Plan() {
            @Override
            public boolean skip(int id) {
                return dropped.contains(id);
            }

            @Override
            public void refuse(int id, String why) {
                dropped.add(id);
                Log.warnOnce("advise-weave|" + Bridge.site(id), Bridge.site(id) + " is not observed: " + why);
            }
        });
    }

    /** The matched method of {@code id}: weaving comes before any call, but a retransformed class may have run. */
    private LazyMethod site(int id) {
        return registry.matched(id);
    }

    private static AdviceWeaver.Kind kind(MethodSpec spec) {
        if (spec.settings() instanceof MethodSettings.Read) {
            return spec.exceptions() != null ? AdviceWeaver.Kind.READ_RETHROWING : AdviceWeaver.Kind.READ;
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
