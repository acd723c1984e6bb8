package dev.recall.agent.instrumentation;

import dev.recall.agent.config.StoreKind;
import dev.recall.agent.config.ConfigError;
import dev.recall.agent.config.Characters;
import dev.recall.agent.config.CopyKind;
import dev.recall.agent.config.Durations;
import dev.recall.agent.config.EvictRule;
import dev.recall.agent.config.MethodPattern;
import dev.recall.agent.config.MethodRule;
import dev.recall.agent.config.Precedence;
import dev.recall.agent.config.Setting;
import dev.recall.agent.config.Settings;
import dev.recall.agent.config.MethodSignature;
import dev.recall.agent.config.RecallConfig;
import dev.recall.agent.key.KeyTemplate;
import dev.recall.agent.key.TemplateException;
import dev.recall.agent.method.ExceptionCaching;
import dev.recall.agent.method.ExceptionClasses;
import dev.recall.agent.method.MethodSettings;
import dev.recall.agent.method.MethodSpec;
import dev.recall.agent.method.ReturnType;
import dev.recall.agent.config.StrategyKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AnnotationNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;

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

    /**
     * A method to weave and what it should do; with a {@code refusal}, a method whose caching would change
     * what the application computes: it is registered (operators see why) and left as it is.
     *
     * @param evictions further evictions the same call makes, one per further rule that names the method (the
     *     woven site runs them all with {@code spec})
     */
    record Found(MethodNode method, MethodSpec spec, String refusal, List<MethodSpec> evictions) {
        Found(MethodNode method, MethodSpec spec, String refusal) {
            this(method, spec, refusal, List.of());
        }
    }

    private final RecallConfig config;
    private final Consumer<ConfigError> errors;
    /** By {@code where()}, unique per rule: a record's hashCode would bootstrap an invokedynamic while classes load. */
    private final Set<String> matchedRules = ConcurrentHashMap.newKeySet();
    private final Hierarchy hierarchy;
    private final JCacheHosts jcacheHosts = new JCacheHosts();

    MethodAnalyzer(RecallConfig config, Consumer<ConfigError> errors, Hierarchy hierarchy) {
        this.config = config;
        this.errors = errors;
        this.hierarchy = hierarchy;
    }

    /**
     * Every method of {@code type} to weave. The caller has parsed the whole class file; supertypes are
     * read as {@code loader} sees them.
     */
    List<Found> analyze(ClassLoader loader, ClassNode type) {
        List<Found> found = new ArrayList<>();
        if ((type.access & Opcodes.ACC_ANNOTATION) != 0
                || Ignores.generated(type.name.replace('/', '.'), type.access, type.interfaces)) {
            return found;
        }
        // An interface's own code (default, static and private methods) is cached by its annotations only:
        // a rule on an interface names what its implementations do, and weaving the default as well would
        // cache twice a class that calls it through super.
        boolean isInterface = (type.access & Opcodes.ACC_INTERFACE) != 0;
        boolean rules = config.hasRules() && !isInterface;
        Set<String> interfaces = rules ? hierarchy.interfaces(loader, type) : Set.of();
        String typeName = type.name.replace('/', '.');
        boolean proxy = "java/lang/reflect/Proxy".equals(type.superName);
        ClassNode jcache = Annotations.READ && JCacheAnnotations.mentioned(type) && jcacheHosts.honoured(loader, typeName) ? type : null;
        for (MethodNode m : type.methods) {
            if (m.name.startsWith("<") || (m.access & SKIPPED) != 0) {
                continue;
            }
            Found f = analyze(loader, typeName, m, interfaces, rules, proxy, jcache);
            if (f != null) {
                found.add(f);
            }
        }
        return found;
    }

    /** Constructors and initializers (named {@code <init>}, {@code <clinit>}) are skipped by name. */
    static final int SKIPPED = Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE | Opcodes.ACC_SYNTHETIC | Opcodes.ACC_BRIDGE;

    /** @param jcache the class, when its JSR-107 annotations are honoured; {@code null} otherwise */
    private Found analyze(ClassLoader loader, String type, MethodNode m, Set<String> interfaces, boolean rules, boolean proxy,
                          ClassNode jcache) {
        AnnotationNode cached = Annotations.READ ? Annotations.find(m, Annotations.CACHED) : null;
        AnnotationNode evict = Annotations.READ ? Annotations.find(m, Annotations.CACHE_EVICT) : null;
        Type[] argumentTypes = Type.getArgumentTypes(m.desc);
        MethodSignature signature = new MethodSignature(type, m.name, parameterTypeNames(argumentTypes));
        // The first methods: rule decides how the method is cached (a later one that also names it is shadowed, yet
        // it did match); every evict: rule that names it applies.
        MethodRule rule = null;
        for (MethodRule r : rules ? config.methods() : List.<MethodRule>of()) {
            if (applies(loader, r.pattern(), signature, m, interfaces)) {
                if (rule == null) {
                    rule = r;
                }
                matchedRules.add(r.where());
            }
        }
        List<EvictRule> evictRules = new ArrayList<>();
        for (EvictRule r : rules ? config.evictions() : List.<EvictRule>of()) {
            if (applies(loader, r.pattern(), signature, m, interfaces)) {
                evictRules.add(r);
                matchedRules.add(r.where());
            }
        }
        EvictRule evictRule = evictRules.isEmpty() ? null : evictRules.get(0);
        boolean isCached = cached != null || rule != null;
        boolean isEvict = evict != null || evictRule != null;
        if (!isCached && !isEvict) {
            return jcache == null ? null : jcacheFound(loader, jcache, m, argumentTypes, signature);
        }
        if (rule != null) {
            if (proxy) {
                // A proxy class's name ($Proxy155) differs from run to run and JVM to JVM; the interface the
                // rule names is what the method is, in logs, JMX and the region (so Redis entries are shared).
                signature = new MethodSignature(ruledInterface(rule.pattern(), interfaces, signature), signature.methodName(),
                        signature.parameterTypes());
            }
        }
        try {
            MethodShape method = new MethodShape(loader, m, argumentTypes);
            MethodSpec spec = isCached ? cachedSpec(signature, method, cached, rule) : null;
            if (spec != null && isEvict && spec.settings() instanceof MethodSettings.Read) {
                throw new Invalid("cached and evicting at once; put the eviction on the writing method only, "
                        + "or use strategy write-through to refresh the entry instead");
            }
            List<MethodSpec> evictions = isEvict ? evictSpecs(signature, method, evict, evictRules) : List.of();
            if (spec == null) {
                spec = evictions.get(0);
                evictions = evictions.subList(1, evictions.size());
            }
            return new Found(m, spec, refusal(spec), List.copyOf(evictions));
        } catch (Invalid e) {
            String where = e.where != null ? e.where : rule != null ? rule.where() : evictRule != null ? evictRule.where()
                    : "@" + (isCached ? "Cached" : "CacheEvict");
            errors.accept(new ConfigError("method " + signature, e.getMessage() + " (settings from " + where + "); the method runs uncached"));
            return null;
        } catch (RuntimeException e) {
            errors.accept(new ConfigError("method " + signature, "annotations unreadable (" + e
                    + "); is the recall-annotations jar on the application's class path? The method runs uncached"));
            return null;
        }
    }

    /** Why caching the method as {@code spec} says would change what the application computes; {@code null} if it would not. */
    private static String refusal(MethodSpec spec) {
        boolean reads = spec.settings() instanceof MethodSettings.Read;
        String unsafe = OneShotResults.why(spec.returnType().name());
        if (unsafe != null && (reads || spec.returnsValue())) {
            return unsafe;
        }
        if (spec.settings() instanceof MethodSettings.Write w && w.valueIndex() < 0
                && spec.returnType().kind() == ReturnType.Kind.FUTURE) {
            return "returns a future, so its written value is not known when it returns; " + w.strategy().configName()
                    + " needs the value itself: mark the written parameter with @CacheValue, or cache the reading method only";
        }
        return null;
    }

    static List<String> parameterTypeNames(Type[] argumentTypes) {
        List<String> names = new ArrayList<>();
        for (Type t : argumentTypes) {
            names.add(t.getClassName());
        }
        return names;
    }

    private static String ruledInterface(MethodPattern p, Set<String> interfaces, MethodSignature proxyMethod) {
        for (String i : interfaces) {
            if (p.matchesType(i)) {
                return i;
            }
        }
        return proxyMethod.className();
    }

    /**
     * Whether rule pattern {@code p} names method {@code m}: by the class's own name, or by an interface the class
     * implements, and then only for a method that interface has (declared by it or by an interface it extends): a
     * rule on a repository interface does not reach the overloads a framework adds to the class (Panache's
     * {@code update(String, Map)}, {@code delete(String, Object...)}) that the interface never declared.
     */
    private boolean applies(ClassLoader loader, MethodPattern p, MethodSignature signature, MethodNode m, Set<String> interfaces) {
        if (!p.matchesMethod(signature.methodName(), signature.parameterTypes())) {
            return false;
        }
        if (p.matchesType(signature.className())) {
            return true;
        }
        for (String i : interfaces) {
            if (p.matchesType(i) && hierarchy.declares(loader, i, m.name, m.desc)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A method JSR-107's annotations cache (and no {@code @Cached}, {@code @CacheEvict} or rule does): its spec
     * from the annotation, with Recall's settings for its cache name from {@code caches:}.
     */
    private Found jcacheFound(ClassLoader loader, ClassNode type, MethodNode m, Type[] argumentTypes, MethodSignature signature) {
        JCacheAnnotations.Use use;
        try {
            use = JCacheAnnotations.find(type, m);
        } catch (IllegalArgumentException e) {
            errors.accept(new ConfigError("method " + signature, e.getMessage() + "; the method runs uncached"));
            return null;
        }
        if (use == null) {
            return null;
        }
        MethodRule settings = config.caches().get(use.cacheName());
        try {
            MethodShape shape = new MethodShape(loader, m, argumentTypes);
            KeyTemplate key = KeyTemplate.ofParameters(argumentTypes.length, use.keyParameters());
            MethodSpec spec = switch (use.kind()) {
                case RESULT -> {
                    // skipGet: always run, and put the result (a write of the returned value).
                    StrategyKind kind = use.skipGet() ? StrategyKind.WRITE_THROUGH : StrategyKind.READ_THROUGH;
                    MethodSpec results = cachedSpec(signature, shape, null, settings, new Standard(kind, use.cacheName(), key, -1,
                            false, ExceptionClasses.NONE, use.source()));
                    yield use.exceptions().cacheName().isEmpty() ? results : results.withExceptions(exceptionCaching(use));
                }
                case PUT -> cachedSpec(signature, shape, null, settings, new Standard(StrategyKind.WRITE_THROUGH,
                        use.cacheName(), key, use.valueParameter(), !use.afterInvocation(),
                        use.exceptions().classes(false), use.source()));
                case REMOVE, REMOVE_ALL -> new MethodSpec(signature, shape.returnType, use.cacheName(),
                        use.kind() == JCacheAnnotations.Kind.REMOVE_ALL ? KeyTemplate.ofParameters(0, new int[0]) : key,
                        new MethodSettings.Evict(use.kind() == JCacheAnnotations.Kind.REMOVE_ALL, !use.afterInvocation(),
                                use.exceptions().classes(false)), use.source());
            };
            return new Found(m, spec, refusal(spec));
        } catch (Invalid e) {
            errors.accept(new ConfigError("method " + signature, e.getMessage() + " (settings from " + use.source()
                    + (settings != null ? " and caches: " + use.cacheName() + " at " + settings.where() : "") + "); the method runs uncached"));
            return null;
        }
    }

    /**
     * The exception cache a {@code @CacheResult} names: a region of its own, whose {@code caches:} entry (else
     * {@code defaults:} and the top-level {@code store:}) says how long and where exceptions are kept, and whether
     * callers share one ({@code copy: reference}) or each get a copy. With neither list every exception is cached.
     */
    private ExceptionCaching exceptionCaching(JCacheAnnotations.Use use) throws Invalid {
        JCacheAnnotations.Exceptions x = use.exceptions();
        Precedence<RuntimeException> p = new Precedence<>(config.caches().get(x.cacheName()), null, config.defaults());
        Duration ttl = p.get(Settings.TTL);
        long maxSize = p.get(Settings.MAX_SIZE);
        StoreKind store = p.get(Settings.STORE, fileStore());
        CopyKind copy = p.get(Settings.COPY);
        if (p.get(Settings.SENSITIVE) && store.remote()) {
            throw new Invalid("caches: " + x.cacheName() + " (the exception cache) is sensitive: true, but its store "
                    + "is " + store.configName() + ", shared with every JVM that reaches it; give it store: local");
        }
        return new ExceptionCaching(x.cacheName(), x.classes(true),
                new MethodSettings.Entries(ttl, false, maxSize, store, copy));
    }

    /**
     * The evictions of a method: one per rule, in the file's order (the first with {@code @CacheEvict}'s values
     * where the rule leaves them out), or the annotation's alone.
     */
    private List<MethodSpec> evictSpecs(MethodSignature signature, MethodShape m, AnnotationNode a, List<EvictRule> rules)
            throws Invalid {
        List<MethodSpec> specs = new ArrayList<>();
        if (rules.isEmpty()) {
            specs.add(evictSpec(signature, m, a, null));
        }
        for (int i = 0; i < rules.size(); i++) {
            try {
                specs.add(evictSpec(signature, m, i == 0 ? a : null, rules.get(i)));
            } catch (Invalid e) {
                throw new Invalid(e.getMessage(), rules.get(i).where());
            }
        }
        return specs;
    }

    private MethodSpec cachedSpec(MethodSignature signature, MethodShape m, AnnotationNode a, MethodRule rule)
            throws Invalid {
        return cachedSpec(signature, m, a, rule, null);
    }

    /**
     * What JSR-107's annotation decides of a reader or writer, where Recall's come from {@code @Cached} and rules:
     * the kind, the region (the cache name), the key, the written parameter, and when and after which exceptions
     * it writes. The cache's settings ({@code caches:}) come in as the rule.
     */
    private record Standard(StrategyKind strategy, String region, KeyTemplate key, int valueIndex, boolean beforeInvocation,
                            ExceptionClasses writtenOn, String source) {
    }

    private MethodSpec cachedSpec(MethodSignature signature, MethodShape m, AnnotationNode a, MethodRule rule, Standard std)
            throws Invalid {
        Precedence<Invalid> p = new Precedence<>(rule, a == null ? null : setting -> annotated(a, setting), config.defaults());
        StrategyKind strategy = std != null ? std.strategy() : p.get(Settings.STRATEGY);
        String region = std != null ? std.region() : p.get(Settings.CACHE, signature.display());
        String keyText = std != null ? "" : p.get(Settings.KEY);
        Duration ttl = p.get(Settings.TTL);
        boolean cacheNulls = p.get(Settings.CACHE_NULLS);
        long maxSize = p.get(Settings.MAX_SIZE);
        boolean returnsValue = m.returnType.kind() != ReturnType.Kind.VOID;
        String source = std != null ? std.source() + (rule != null ? ", with caches: " + rule.get(Settings.CACHE) + " at " + rule.where() : "")
                : a != null && rule != null ? "@Cached, overridden by " + rule.where() : rule != null ? rule.where() : "@Cached";

        if (strategy == StrategyKind.WRITE_BACK && returnsValue) {
            throw new Invalid("strategy write-back needs a void method: its caller returns before the method runs, so there "
                    + "is no result to give back; use write-through, or make the method void");
        }
        if (strategy.reads() && !returnsValue) {
            throw new Invalid("strategy " + strategy.configName() + " needs a return value to cache, but the method returns void; "
                    + "use write-through for a write method, or @CacheEvict to drop what it makes stale");
        }
        boolean bulk = p.get(Settings.BULK);
        int bulkIndex = bulk ? bulkIndex(signature, m, strategy, p, a) : -1;
        KeyTemplate key = std != null ? std.key() : compile(keyText, m, bulkIndex);
        int valueIndex = -1;
        if (std != null) {
            valueIndex = std.valueIndex();
        } else if (!strategy.reads() && !returnsValue) {
            valueIndex = writtenParameter(m, key, strategy);
        }
        StoreKind store = p.get(Settings.STORE, fileStore());
        CopyKind copy = p.get(Settings.COPY);
        Duration refresh = p.get(Settings.REFRESH);
        Duration staleIfError = bulk ? Duration.ZERO : p.get(Settings.STALE_IF_ERROR);
        Duration loadTimeout = p.get(Settings.LOAD_TIMEOUT);
        double jitter = p.get(Settings.JITTER);
        Duration nullTtl = p.get(Settings.NULL_TTL, ttl);
        checkFreshness(strategy, ttl, refresh, staleIfError, p);
        boolean sensitive = p.get(Settings.SENSITIVE);
        if (sensitive && store.remote()) {
            throw new Invalid("sensitive: true keeps this method's values in this JVM, but its store is " + store.configName()
                    + (p.ruled(Settings.STORE) != null ? "" : " (the file's store:)") + ", shared with every JVM that "
                    + "reaches it; write a rule for the method with store: local (or drop sensitive if its results may be shared)");
        }
        MethodSettings.Entries entries = new MethodSettings.Entries(ttl, cacheNulls, maxSize, store, copy, sensitive,
                new MethodSettings.Freshness(jitter, nullTtl, staleIfError));
        Duration loadWait = p.get(Settings.LOAD_WAIT);
        Double ruledVerify = p.ruled(Settings.VERIFY);
        double verify = ruledVerify != null ? ruledVerify : bulk ? 0 : p.get(Settings.VERIFY);
        if (verify > 0 && !strategy.reads() && ruledVerify != null) {
            throw new Invalid("verify applies to a reading method (read-through or cache-aside): it checks hits, and "
                    + strategy.configName() + " has none; put verify on the method that reads the region");
        }
        MethodSettings settings = strategy.reads() ? new MethodSettings.Read(strategy, entries, loadWait, refresh, loadTimeout, verify, bulkIndex)
                : std != null ? new MethodSettings.Write(strategy, entries, valueIndex, std.beforeInvocation(), std.writtenOn())
                : new MethodSettings.Write(strategy, entries, valueIndex);
        boolean isStatic = (m.node.access & Opcodes.ACC_STATIC) != 0;
        if (isStatic && key.usesReceiver()) {
            throw new Invalid("key template '" + keyText + "' names {this}, but a static method has no receiver; "
                    + "name a parameter instead");
        }
        boolean ownRegion = region.equals(signature.display());
        // A JSR-107 cache is shared by name: every method naming it meets the same entries, whatever the receiver.
        boolean shared = std != null || p.get(Settings.SHARED);
        // Only readers: a writer or evictor meets its readers in a region they name together.
        boolean byReceiver = strategy.reads() && !isStatic && ownRegion && !shared && !key.usesReceiver();
        return new MethodSpec(signature, m.returnType, region, key, settings, source, byReceiver);
    }

    private MethodSpec evictSpec(MethodSignature signature, MethodShape m, AnnotationNode a, EvictRule rule)
            throws Invalid {
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
        return new MethodSpec(signature, m.returnType, region, key, new MethodSettings.Evict(allEntries, before), source);
    }

    /** The top-level {@code store:}: where a method's entries live unless its rule says. */
    private StoreKind fileStore() {
        return config.store() == null ? StoreKind.LOCAL : config.store();
    }

    /** {@code @Cached}'s value of {@code setting}: {@code null} or empty when the element is not written. */
    private static Object annotated(AnnotationNode a, Setting<?> setting) throws Invalid {
        String element = setting.name();
        Class<?> type = setting.type();
        if (type == Duration.class) {
            return annotationDuration(a, element, null);
        }
        if (type == Boolean.class) {
            return Annotations.bool(a, element) ? Boolean.TRUE : null;
        }
        if (type == StrategyKind.class) {
            return StrategyKind.valueOf(Annotations.enumName(a, element, Annotations.DEFAULT_STRATEGY));
        }
        if (type == CopyKind.class) {
            return CopyKind.valueOf(Annotations.enumName(a, element, Annotations.DEFAULT_COPY));
        }
        return Annotations.string(a, element);
    }

    /** A duration attribute of {@code @Cached}, or {@code fallback} when it is empty. */
    private static Duration annotationDuration(AnnotationNode a, String element, Duration fallback) throws Invalid {
        String text = a == null ? "" : Annotations.string(a, element);
        if (text.isBlank()) {
            return fallback;
        }
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new Invalid("@Cached(" + element + " = \"" + text + "\"): " + e.getMessage());
        }
    }

    /**
     * The collection parameter of a method marked {@code bulk}; refuses a shape that does not fit and the settings a
     * bulk method does not apply (it answers from entries of its elements, which it loads on the caller's thread).
     */
    private static int bulkIndex(MethodSignature signature, MethodShape m, StrategyKind strategy, Precedence<Invalid> p,
                                 AnnotationNode a) throws Invalid {
        if (!strategy.reads()) {
            throw new Invalid("bulk: true applies to a reading method (read-through or cache-aside), not to "
                    + strategy.configName() + "; drop bulk, or cache the method that reads");
        }
        boolean refresh = p.get(Settings.REFRESH) != null;
        boolean stale = p.ruled(Settings.STALE_IF_ERROR) != null || a != null && !Annotations.string(a, "staleIfError").isEmpty();
        boolean verify = p.ruled(Settings.VERIFY) != null && p.ruled(Settings.VERIFY) > 0;
        if (refresh || stale || verify) {
            throw new Invalid("bulk: true does not apply " + (refresh ? "refresh" : stale ? "staleIfError" : "verify")
                    + " (a bulk call answers from its elements' entries and loads the missing ones itself); drop it from "
                    + "this method's settings, or drop bulk");
        }
        try {
            return BulkShape.collectionParameter(signature.parameterTypes(), m.returnType.name());
        } catch (IllegalArgumentException e) {
            throw new Invalid(e.getMessage());
        }
    }

    private static void checkFreshness(StrategyKind strategy, Duration ttl, Duration refresh, Duration staleIfError,
                                       Precedence<Invalid> p) throws Invalid {
        if (refresh != null && refresh.compareTo(ttl) >= 0) {
            throw new Invalid("refresh " + Durations.format(refresh) + " is not shorter than ttl " + Durations.format(ttl)
                    + ": a refresh-ahead reload must start while the entry still lives; write a refresh below the ttl "
                    + "(about 80% of it), or leave refresh out");
        }
        if (!strategy.reads()) {
            if (refresh != null) {
                throw new Invalid("refresh applies to a reading method (read-through or cache-aside): it reloads on a hit, "
                        + "and " + strategy.configName() + " has no hits; put refresh on the method that reads the region");
            }
            if (p.ruled(Settings.LOAD_TIMEOUT) != null) {
                throw new Invalid("loadTimeout applies to a reading method (read-through or cache-aside), whose callers wait "
                        + "for loads; put it on the method that reads the region");
            }
        }
    }

    private KeyTemplate compile(String text, MethodShape m) throws Invalid {
        return compile(text, m, -1);
    }

    /**
     * As {@link #compile(String, MethodShape)}; a bulk method's template is applied to each element in the place of
     * its collection parameter ({@code bulkIndex}), so a path on that parameter is one on the element, whose type
     * only the runtime class tells.
     */
    private KeyTemplate compile(String text, MethodShape m, int bulkIndex) throws Invalid {
        try {
            return KeyTemplate.compile(text, m.names, (index, path) -> index == bulkIndex ? null : checkPath(m, index, path));
        } catch (TemplateException e) {
            throw new Invalid(e.getMessage());
        }
    }

    private String checkPath(MethodShape m, int index, List<String> path) {
        Type current = m.parameters[index];
        String walked = m.names.get(index) != null ? m.names.get(index) : String.valueOf(index);
        try {
            for (String step : path) {
                if (current.getSort() != Type.OBJECT) {
                    return "'" + walked + "' is a " + current.getClassName() + ", which has no property '" + step + "'";
                }
                if (current.getInternalName().equals("java/lang/Object")) {
                    return null; // a type variable or Object: only the runtime class can tell
                }
                Type next = hierarchy.property(m.loader, current, step);
                if (next == null) {
                    String cap = Character.toUpperCase(step.charAt(0)) + step.substring(1);
                    return current.getClassName() + " (the type of '" + walked + "') has no public get" + cap + "(), is"
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

    private static int writtenParameter(MethodShape m, KeyTemplate key, StrategyKind strategy) throws Invalid {
        int marked = Annotations.cacheValueParameter(m.node);
        if (marked >= 0) {
            return marked;
        }
        List<Integer> unused = new ArrayList<>();
        for (int i = 0; i < m.parameters.length; i++) {
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
            if (!matchedRules.contains(r.where())) {
                unmatched.add(r.where() + ": " + r.pattern() + oddCharacter(r.pattern().toString()));
            }
        }
        for (EvictRule r : config.evictions()) {
            if (!matchedRules.contains(r.where())) {
                unmatched.add(r.where() + ": " + r.pattern() + oddCharacter(r.pattern().toString()));
            }
        }
        return unmatched;
    }

    /**
     * A non-ASCII character of a pattern that matched nothing, by code point: Java allows {@code café} in a name,
     * but a Cyrillic {@code а} pasted into {@code com.acme} looks the same and names another class.
     */
    private static String oddCharacter(String pattern) {
        int at = Characters.firstOddIndex(pattern);
        return at < 0 ? "" : " (it contains " + Characters.describe(pattern.codePointAt(at)) + " at character "
                + (pattern.codePointCount(0, at) + 1) + ")";
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
        /** The rule whose settings failed, when it is not the method's first. */
        final String where;

        Invalid(String message) {
            this(message, null);
        }

        Invalid(String message, String where) {
            super(message);
            this.where = where;
        }
    }
}
