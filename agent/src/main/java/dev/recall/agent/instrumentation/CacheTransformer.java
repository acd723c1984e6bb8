package dev.recall.agent.instrumentation;

import dev.recall.agent.method.MethodRegistry;
import dev.recall.agent.method.MethodSpec;
import dev.recall.agent.method.StrategyKind;
import java.security.ProtectionDomain;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatchers;
import net.bytebuddy.utility.JavaModule;

/**
 * Weaves the advice into each cached method of a matched type, with the method's site id bound as a
 * constant. Called on class-loading threads; its collaborators are thread-safe.
 */
final class CacheTransformer implements AgentBuilder.Transformer {

    private final MethodAnalyzer analyzer;
    private final MethodRegistry registry;

    CacheTransformer(MethodAnalyzer analyzer, MethodRegistry registry) {
        this.analyzer = analyzer;
        this.registry = registry;
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder, TypeDescription type,
                                            ClassLoader loader, JavaModule module, ProtectionDomain domain) {
        for (MethodAnalyzer.Found found : analyzer.analyze(type)) {
            int id = registry.register(found.spec(), loader);
            builder = builder.visit(advice(found.spec(), id).on(ElementMatchers.is(found.method())));
        }
        return builder;
    }

    private static Advice advice(MethodSpec spec, int id) {
        Advice.WithCustomMapping mapping = Advice.withCustomMapping().bind(SiteId.class, id);
        boolean reads = !spec.evict() && spec.strategy().reads();
        if (reads) {
            Class<?> enter = spec.arity() == 0 ? ReadAdvice.NoArgs.class : spec.arity() == 1 ? ReadAdvice.OneArg.class
                    : spec.arity() == 2 ? ReadAdvice.TwoArgs.class : ReadAdvice.AllArgs.class;
            return mapping.to(enter, ReadAdvice.Exit.class);
        }
        if (!spec.evict() && spec.strategy() == StrategyKind.WRITE_BACK) {
            return mapping.to(WriteBackAdvice.class);
        }
        Class<?> enter = spec.arity() == 1 ? WriteAdvice.OneArg.class
                : spec.arity() == 2 ? WriteAdvice.TwoArgs.class : WriteAdvice.AllArgs.class;
        return mapping.to(enter, WriteAdvice.Exit.class);
    }
}
