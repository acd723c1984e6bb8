package dev.recall.agent.instrumentation;

import dev.recall.agent.config.StoreKind;
import dev.recall.agent.config.ConfigError;
import dev.recall.agent.config.Defaults;
import dev.recall.agent.config.Durations;
import dev.recall.agent.config.EvictRule;
import dev.recall.agent.config.MethodPattern;
import dev.recall.agent.config.MethodRule;
import dev.recall.agent.config.RecallConfig;
import dev.recall.agent.key.KeyTemplate;
import dev.recall.agent.key.TemplateException;
import dev.recall.agent.method.MethodSpec;
import dev.recall.agent.method.StrategyKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import net.bytebuddy.description.annotation.AnnotationDescription;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.method.ParameterDescription;
import net.bytebuddy.description.type.TypeDescription;

/**
 * Decides, from class-file descriptions, which methods of a type are cached and how: the method's
 * annotations merged with the first matching rule of the file (the file's values win), checked and
 * compiled into a {@link MethodSpec}. Problems become {@link ConfigError}s naming the method; such a
 * method runs uncached.
 *
 * <p>Shared by the class-loading threads of the JVM; its own state is the configuration (immutable) and
 * a concurrent set of the rules that matched something.
 */
final class MethodAnalyzer {

    /** A method to weave and what it should do. */
    record Found(MethodDescription.InDefinedShape method, MethodSpec spec) {
    }

    private final RecallConfig config;
    private final Consumer<ConfigError> errors;
    private final Set<Object> matchedRules = ConcurrentHashMap.newKeySet();

    MethodAnalyzer(RecallConfig config, Consumer<ConfigError> errors) {
        this.config = config;
        this.errors = errors;
    }

    /** Cheap pre-check for the type matcher: might this type have anything to weave? */
    boolean mayMatch(TypeDescription type, boolean loaderSeesAnnotations) {
        if (type.isInterface() || type.isAnnotation()) {
            return false;
        }
        if (config.hasRules() && rulesApplyTo(type)) {
            return true;
        }
        return loaderSeesAnnotations && !type.getDeclaredMethods().filter(Annotations::isMarked).isEmpty();
    }

    private boolean rulesApplyTo(TypeDescription type) {
        Set<String> interfaces = null;
        for (MethodPattern p : patterns()) {
            if (p.matchesType(type.getName())) {
                return true;
            }
            if (interfaces == null) {
                interfaces = Hierarchy.interfaces(type);
            }
            for (String i : interfaces) {
                if (p.matchesType(i)) {
                    return true;
                }
            }
        }
        return false;
    }

    private List<MethodPattern> patterns() {
        List<MethodPattern> all = new ArrayList<>();
        config.methods().forEach(r -> all.add(r.pattern()));
        config.evictions().forEach(r -> all.add(r.pattern()));
        return all;
    }

    /** Every method of {@code type} to weave. */
    List<Found> analyze(TypeDescription type) {
        List<Found> found = new ArrayList<>();
        Set<String> interfaces = config.hasRules() ? Hierarchy.interfaces(type) : Set.of();
        for (MethodDescription.InDefinedShape m : type.getDeclaredMethods()) {
            if (m.isConstructor() || m.isTypeInitializer() || m.isAbstract() || m.isNative()
                    || m.isSynthetic() || m.isBridge()) {
                continue;
            }
            Found f = analyze(type, m, interfaces);
            if (f != null) {
                found.add(f);
            }
        }
        return found;
    }

    private Found analyze(TypeDescription type, MethodDescription.InDefinedShape m, Set<String> interfaces) {
        AnnotationDescription cached = Annotations.find(m, Annotations.CACHED);
        AnnotationDescription evict = Annotations.find(m, Annotations.CACHE_EVICT);
        MethodRule rule = null;
        for (MethodRule r : config.methods()) {
            if (applies(r.pattern(), type, m, interfaces)) {
                rule = r;
                break;
            }
        }
        EvictRule evictRule = null;
        for (EvictRule r : config.evictions()) {
            if (applies(r.pattern(), type, m, interfaces)) {
                evictRule = r;
                break;
            }
        }
        boolean isCached = cached != null || rule != null;
        boolean isEvict = evict != null || evictRule != null;
        if (!isCached && !isEvict) {
            return null;
        }
        if (rule != null) {
            matchedRules.add(rule);
        }
        if (evictRule != null) {
            matchedRules.add(evictRule);
        }
        String signature = signature(type, m);
        try {
            if (isCached && isEvict) {
                throw new Invalid("cached and evicting at once; put the eviction on the writing method only, "
                        + "or use strategy write-through to refresh the entry instead");
            }
            MethodSpec spec = isCached ? cachedSpec(signature, m, cached, rule) : evictSpec(signature, m, evict, evictRule);
            return new Found(m, spec);
        } catch (Invalid e) {
            String where = rule != null ? rule.where() : evictRule != null ? evictRule.where() : "@" + (isCached ? "Cached" : "CacheEvict");
            errors.accept(new ConfigError("method " + signature, e.getMessage() + " (settings from " + where + "); the method runs uncached"));
            return null;
        } catch (RuntimeException e) {
            errors.accept(new ConfigError("method " + signature, "annotations unreadable (" + e
                    + "); is the recall-annotations jar on the application's class path? The method runs uncached"));
            return null;
        }
    }

    private static boolean applies(MethodPattern p, TypeDescription type, MethodDescription m, Set<String> interfaces) {
        boolean typeMatches = p.matchesType(type.getName());
        if (!typeMatches) {
            for (String i : interfaces) {
                if (p.matchesType(i)) {
                    typeMatches = true;
                    break;
                }
            }
        }
        if (!typeMatches) {
            return false;
        }
        List<String> params = new ArrayList<>();
        for (TypeDescription t : m.getParameters().asTypeList().asErasures()) {
            params.add(t.getActualName());
        }
        return p.matchesMethod(m.getName(), params);
    }

    private MethodSpec cachedSpec(String signature, MethodDescription m, AnnotationDescription a, MethodRule rule)
            throws Invalid {
        Defaults d = config.defaults();
        StrategyKind strategy = rule != null && rule.strategy() != null ? rule.strategy()
                : a != null ? StrategyKind.valueOf(Annotations.enumName(a, "strategy")) : StrategyKind.READ_THROUGH;
        String region = firstNonEmpty(rule == null ? null : rule.cache(), a == null ? null : Annotations.string(a, "cache"), signature);
        String keyText = firstNonEmpty(rule == null ? null : rule.key(), a == null ? null : Annotations.string(a, "key"), "");
        Duration ttl = rule != null && rule.ttl() != null ? rule.ttl() : annotationTtl(a, d.ttl());
        boolean cacheNulls = rule != null && rule.cacheNulls() != null ? rule.cacheNulls() : d.cacheNulls();
        long maxSize = rule != null && rule.maxSize() != null ? rule.maxSize() : d.maxSize();
        boolean returnsValue = !m.getReturnType().represents(void.class);
        String source = a != null && rule != null ? "@Cached, overridden by " + rule.where() : rule != null ? rule.where() : "@Cached";

        if (strategy == StrategyKind.WRITE_BACK && returnsValue) {
            throw new Invalid("strategy write-back needs a void method: its caller returns before the method runs, so there "
                    + "is no result to give back; use write-through, or make the method void");
        }
        if (strategy.reads() && !returnsValue) {
            throw new Invalid("strategy " + strategy.configName() + " needs a return value to cache, but the method returns void; "
                    + "use write-through for a write method, or @CacheEvict to drop what it makes stale");
        }
        KeyTemplate key = compile(keyText, m);
        int valueIndex = -1;
        if (!strategy.reads() && !returnsValue) {
            valueIndex = writtenParameter(m, key, strategy);
        }
        StoreKind store = rule != null && rule.store() != null ? rule.store() : config.store() == null ? StoreKind.LOCAL : config.store();
        return new MethodSpec(signature, region, key, ttl, strategy, cacheNulls, maxSize, m.getParameters().size(),
                returnsValue, valueIndex, false, false, false, source, store, m.getReturnType().asErasure().getName());
    }

    private MethodSpec evictSpec(String signature, MethodDescription m, AnnotationDescription a, EvictRule rule)
            throws Invalid {
        Defaults d = config.defaults();
        String region = firstNonEmpty(rule == null ? null : rule.cache(), a == null ? null : Annotations.string(a, "cache"), "");
        if (region.isEmpty()) {
            throw new Invalid("@CacheEvict needs cache = \"...\", the region its readers name");
        }
        String keyText = firstNonEmpty(rule == null ? null : rule.key(), a == null ? null : Annotations.string(a, "key"), "");
        boolean allEntries = rule != null && rule.allEntries() != null ? rule.allEntries() : a != null && Annotations.bool(a, "allEntries");
        boolean before = rule != null && rule.beforeInvocation() != null ? rule.beforeInvocation()
                : a != null && Annotations.bool(a, "beforeInvocation");
        String source = a != null && rule != null ? "@CacheEvict, overridden by " + rule.where() : rule != null ? rule.where() : "@CacheEvict";
        KeyTemplate key = compile(allEntries ? "" : keyText, m);
        return new MethodSpec(signature, region, key, d.ttl(), null, d.cacheNulls(), d.maxSize(), m.getParameters().size(),
                !m.getReturnType().represents(void.class), -1, true, allEntries, before, source, null, "void");
    }

    private static Duration annotationTtl(AnnotationDescription a, Duration fallback) throws Invalid {
        String text = a == null ? "" : Annotations.string(a, "ttl");
        if (text.isBlank()) {
            return fallback;
        }
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new Invalid("@Cached(ttl = \"" + text + "\"): " + e.getMessage());
        }
    }

    private static KeyTemplate compile(String text, MethodDescription m) throws Invalid {
        List<String> names = new ArrayList<>();
        for (ParameterDescription p : m.getParameters()) {
            names.add(p.isNamed() ? p.getName() : null);
        }
        try {
            return KeyTemplate.compile(text, names, (index, path) -> checkPath(m.getParameters().get(index), path));
        } catch (TemplateException e) {
            throw new Invalid(e.getMessage());
        }
    }

    private static String checkPath(ParameterDescription parameter, List<String> path) {
        TypeDescription current = parameter.getType().asErasure();
        String walked = parameter.isNamed() ? parameter.getName() : String.valueOf(parameter.getIndex());
        try {
            for (String step : path) {
                if (current.isPrimitive() || current.isArray()) {
                    return "'" + walked + "' is a " + current.getActualName() + ", which has no property '" + step + "'";
                }
                if (current.represents(Object.class)) {
                    return null; // a type variable or Object: only the runtime class can tell
                }
                TypeDescription next = Hierarchy.property(current, step);
                if (next == null) {
                    String cap = Character.toUpperCase(step.charAt(0)) + step.substring(1);
                    return current.getActualName() + " (the type of '" + walked + "') has no public get" + cap + "(), is"
                            + cap + "() or " + step + "() and no field '" + step + "'; name a property it has";
                }
                walked = walked + "." + step;
                current = next;
            }
        } catch (RuntimeException unreadable) {
            return null; // a supertype the class path lacks: leave the check to run time
        }
        return null;
    }

    private static int writtenParameter(MethodDescription m, KeyTemplate key, StrategyKind strategy) throws Invalid {
        int marked = Annotations.cacheValueParameter(m);
        if (marked >= 0) {
            return marked;
        }
        List<Integer> unused = new ArrayList<>();
        for (int i = 0; i < m.getParameters().size(); i++) {
            if (!key.usedParameters().contains(i)) {
                unused.add(i);
            }
        }
        if (unused.size() == 1) {
            return unused.get(0);
        }
        throw new Invalid(strategy.configName() + " on a void method must know which argument is the written value ("
                + (unused.isEmpty() ? "the key uses every parameter" : unused.size() + " parameters are not in the key")
                + "); mark it with @CacheValue" + (strategy == StrategyKind.WRITE_THROUGH ? ", or return the written value" : ""));
    }

    /** Rules of the file that matched no method so far. */
    List<String> unmatchedRules() {
        List<String> unmatched = new ArrayList<>();
        for (MethodRule r : config.methods()) {
            if (!matchedRules.contains(r)) {
                unmatched.add(r.where() + ": " + r.pattern());
            }
        }
        for (EvictRule r : config.evictions()) {
            if (!matchedRules.contains(r)) {
                unmatched.add(r.where() + ": " + r.pattern());
            }
        }
        return unmatched;
    }

    static String signature(TypeDescription type, MethodDescription m) {
        StringBuilder b = new StringBuilder(type.getName()).append('.').append(m.getName()).append('(');
        boolean first = true;
        for (TypeDescription t : m.getParameters().asTypeList().asErasures()) {
            if (!first) {
                b.append(',');
            }
            b.append(t.getActualName());
            first = false;
        }
        return b.append(')').toString();
    }

    private static String firstNonEmpty(String a, String b, String fallback) {
        if (a != null && !a.isEmpty()) {
            return a;
        }
        if (b != null && !b.isEmpty()) {
            return b;
        }
        return fallback;
    }

    /** A method whose settings cannot work; the message completes "the method ...". */
    private static final class Invalid extends Exception {
        Invalid(String message) {
            super(message);
        }
    }
}
