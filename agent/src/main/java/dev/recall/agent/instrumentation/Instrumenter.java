package dev.recall.agent.instrumentation;

import dev.recall.agent.advise.Advisor;
import dev.recall.agent.log.Log;
import dev.recall.agent.config.ConfigError;
import dev.recall.agent.config.RecallConfig;
import dev.recall.agent.method.MethodRegistry;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Installs the class file transformer: a {@link Prescreen} that spares the weaver the classes that
 * cannot matter, in front of the {@link CacheTransformer}. After an attach it also retransforms the
 * classes loaded before the agent came.
 */
public final class Instrumenter {

    private final MethodAnalyzer analyzer;
    private final Prescreen prescreen;
    private final CacheTransformer weaver;
    private final LongAdder failures;
    private final Instrumentation instrumentation;

    /** @param advisor where the observers of the advised classes go; {@code null} when nothing is advised */
    public Instrumenter(RecallConfig config, MethodRegistry registry, Advisor advisor, Consumer<ConfigError> errors,
                        LongAdder failures, Instrumentation instrumentation) {
        Hierarchy hierarchy = new Hierarchy(new ClassFiles());
        this.analyzer = new MethodAnalyzer(config, errors, hierarchy);
        AdviseCandidates candidates = advisor == null || !config.advises() ? null : new AdviseCandidates(config.advise(), hierarchy);
        this.weaver = new CacheTransformer(analyzer, registry, candidates, candidates == null ? null : advisor, instrumentation,
                failures);
        this.prescreen = new Prescreen(weaver, config, hierarchy);
        this.failures = failures;
        this.instrumentation = instrumentation;
    }

    public void install(boolean atStartup) {
        instrumentation.addTransformer(prescreen, true);
        if (!atStartup) {
            retransformLoaded();
        }
    }

    /**
     * Classes loaded before an attach are screened on the class files their loaders hold (the bytes the
     * JVM has are not to be had), then retransformed, which hands their bytes to the transformer.
     */
    private void retransformLoaded() {
        List<Class<?>> candidates = new ArrayList<>();
        for (Class<?> c : instrumentation.getAllLoadedClasses()) {
            try {
                if (c.isArray() || c.isPrimitive() || c.isHidden() || !instrumentation.isModifiableClass(c)) {
                    continue;
                }
                String internalName = c.getName().replace('.', '/');
                byte[] bytes = prescreen.ignored(internalName) ? null : ClassFiles.bytes(c.getClassLoader(), internalName);
                if (bytes != null && prescreen.mayMatter(c.getClassLoader(), internalName, bytes)) {
                    candidates.add(c);
                }
            } catch (RuntimeException | LinkageError unreadable) {
                // a class whose file cannot be read is left as it is
            }
        }
        for (Class<?> c : candidates) {
            try {
                instrumentation.retransformClasses(c);
            } catch (Throwable t) {
                failures.increment();
                Log.once("retransform|" + c.getName(), "could not instrument " + c.getName() + "; it runs uncached", t);
            }
        }
    }

    /** Rules of the file that matched no method of any class loaded so far. */
    public List<String> unmatchedRules() {
        return analyzer.unmatchedRules();
    }
}
