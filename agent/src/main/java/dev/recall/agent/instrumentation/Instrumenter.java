package dev.recall.agent.instrumentation;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import dev.recall.agent.Log;
import dev.recall.agent.config.ConfigError;
import dev.recall.agent.config.RecallConfig;
import dev.recall.agent.method.MethodRegistry;
import dev.recall.bridge.Bridge;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.Nexus;
import net.bytebuddy.utility.JavaModule;

/**
 * Installs the class file transformer: which types are looked at (cheap checks first), and how Byte
 * Buddy is set up for an agent that must not change class formats (so retransformation, and attaching to
 * a running JVM, work).
 */
public final class Instrumenter {

    private final RecallConfig config;
    private final MethodAnalyzer analyzer;
    private final MethodRegistry registry;
    private final LongAdder failures;
    private final LoadingCache<Object, Boolean> seesAnnotations = Caffeine.newBuilder()
            .weakKeys()
            .executor(Runnable::run)
            .build(loader -> ((ClassLoader) loader).getResource(Annotations.CACHED_RESOURCE) != null);

    public Instrumenter(RecallConfig config, MethodRegistry registry, Consumer<ConfigError> errors, LongAdder failures) {
        this.config = config;
        this.analyzer = new MethodAnalyzer(config, errors);
        this.registry = registry;
        this.failures = failures;
    }

    /**
     * At startup the transformer sits behind a {@link Prescreen}, which spares Byte Buddy the classes
     * that cannot matter, and is built in the background ({@link DeferredTransformer}). Attaching to a running JVM goes through Byte Buddy alone, which also finds and
     * retransforms the classes already loaded; start-up time does not matter there.
     */
    public void install(Instrumentation instrumentation, boolean atStartup) {
        if (atStartup) {
            ClassFileTransformer weaver = new DeferredTransformer(() -> builder(instrumentation, true).makeRaw());
            instrumentation.addTransformer(new Prescreen(weaver, config), true);
        } else {
            builder(instrumentation, false).installOn(instrumentation);
        }
    }

    private AgentBuilder builder(Instrumentation instrumentation, boolean atStartup) {
        // Byte Buddy's nexus injects a class into the system class loader through sun.misc.Unsafe, which
        // newer JDKs warn about on the application's console. Advice needs no nexus: turn it off. (The
        // property name is relocated with Byte Buddy, so this touches nothing of the application's.)
        System.setProperty(Nexus.PROPERTY, "true");
        return new AgentBuilder.Default()
                .disableClassFormatChanges()
                // At startup only JDK classes are loaded yet, and none of them is ours to weave.
                .with(atStartup ? AgentBuilder.RedefinitionStrategy.DISABLED : AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .with(AgentBuilder.TypeStrategy.Default.DECORATE)
                .with(AgentBuilder.DescriptionStrategy.Default.POOL_ONLY)
                .with(new TypePoolCache())
                .with(new ErrorListener())
                .ignore(new Ignores())
                .type(this::matches)
                .transform(new CacheTransformer(analyzer, registry))
                .assureReadEdgeTo(instrumentation, Bridge.class);
    }

    private boolean matches(TypeDescription type, ClassLoader loader, JavaModule module, Class<?> redefined,
                            java.security.ProtectionDomain domain) {
        boolean annotationsVisible = loader != null && seesAnnotations.get(loader);
        return analyzer.mayMatch(type, annotationsVisible);
    }

    /** Rules of the file that matched no method of any class loaded so far. */
    public List<String> unmatchedRules() {
        return analyzer.unmatchedRules();
    }

    /** Counts every type that could not be instrumented and says so once per type; the class loads unchanged. */
    private final class ErrorListener extends AgentBuilder.Listener.Adapter {
        @Override
        public void onError(String typeName, ClassLoader loader, JavaModule module, boolean loaded, Throwable throwable) {
            failures.increment();
            Log.once("instrument|" + typeName, "could not instrument " + typeName + "; it runs uncached", throwable);
        }
    }
}
