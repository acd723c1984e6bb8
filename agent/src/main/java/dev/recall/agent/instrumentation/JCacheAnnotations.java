package dev.recall.agent.instrumentation;

import dev.recall.agent.method.ExceptionClasses;
import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AnnotationNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Reads JSR-107's annotations ({@code javax.cache.annotation}, cache-api 1.1) from class files by descriptor, as
 * {@link Annotations} reads Recall's: the agent never loads them, so it needs no cache-api of its own and works
 * whichever version the application carries. Only what a class file records is read; an element not written has
 * the annotation's default, repeated here (strings empty, {@code afterInvocation} true, {@code skipGet} false, the
 * exception lists empty). A {@code cacheKeyGenerator} or {@code cacheResolverFactory} of the application's own is
 * refused: the method is left uncached, with a message, rather than cached under keys or caches it did not choose.
 * Stateless.
 */
final class JCacheAnnotations {

    private static final String PACKAGE = "Ljavax/cache/annotation/";
    static final String RESULT = PACKAGE + "CacheResult;";
    static final String PUT = PACKAGE + "CachePut;";
    static final String REMOVE = PACKAGE + "CacheRemove;";
    static final String REMOVE_ALL = PACKAGE + "CacheRemoveAll;";
    static final String DEFAULTS = PACKAGE + "CacheDefaults;";
    static final String KEY = PACKAGE + "CacheKey;";
    static final String VALUE = PACKAGE + "CacheValue;";
    /** The defaults of {@code cacheKeyGenerator} and {@code cacheResolverFactory}: the implementation's own. */
    private static final String KEY_GENERATOR = PACKAGE + "CacheKeyGenerator;";
    private static final String RESOLVER_FACTORY = PACKAGE + "CacheResolverFactory;";
    /** What a class file that uses any of them holds in its constant pool (each descriptor starts with it). */
    static final String PACKAGE_PREFIX = "javax/cache/annotation/";

    enum Kind { RESULT, PUT, REMOVE, REMOVE_ALL }

    /**
     * What one method's JSR-107 annotation asks.
     *
     * @param keyParameters the parameters the key is built from, ascending
     * @param valueParameter the {@code @CacheValue} parameter, or -1
     * @param exceptions what it does with the exceptions the method throws
     * @param source where the annotation is, for messages: {@code @CacheResult}, or {@code @CacheResult on the class}
     */
    record Use(Kind kind, String cacheName, int[] keyParameters, int valueParameter, boolean afterInvocation,
               boolean skipGet, Exceptions exceptions, String source) {
    }

    /**
     * @param cacheName {@code @CacheResult}'s {@code exceptionCacheName}: where thrown exceptions are cached; empty if
     *     none (and for the other annotations)
     * @param included the exceptions after which a put or removal happens all the same ({@code cacheFor},
     *     {@code evictFor}); for {@code @CacheResult}, {@code cachedExceptions}
     * @param excluded {@code noCacheFor}, {@code noEvictFor}; for {@code @CacheResult}, {@code nonCachedExceptions}
     */
    record Exceptions(String cacheName, List<String> included, List<String> excluded) {

        /** The lists as the method sees them; {@code whenBothEmpty}: whether every exception counts without either. */
        ExceptionClasses classes(boolean whenBothEmpty) {
            return new ExceptionClasses(included, excluded, whenBothEmpty);
        }
    }

    private JCacheAnnotations() {
    }

    /** Whether the class file names the package's annotations at all, from its constant pool. */
    static boolean mentioned(ClassNode type) {
        if (hasAny(type.visibleAnnotations)) {
            return true;
        }
        for (MethodNode m : type.methods) {
            if (hasAny(m.visibleAnnotations)) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasAny(List<AnnotationNode> annotations) {
        if (annotations != null) {
            for (AnnotationNode a : annotations) {
                if (a.desc.startsWith(PACKAGE)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The annotation that applies to {@code m} of {@code type}: its own, else the class's (an interceptor binding on
     * the class applies to each business method, so constructors, static methods and, for {@code @CacheResult},
     * void methods are left out); {@code null} if none does.
     *
     * @throws IllegalArgumentException with what to change, for a method with two of them or a put with no value
     */
    static Use find(ClassNode type, MethodNode m) {
        AnnotationNode own = null;
        String ownDesc = null;
        for (String d : List.of(RESULT, PUT, REMOVE, REMOVE_ALL)) {
            AnnotationNode a = Annotations.find(m, d);
            if (a != null) {
                if (own != null) {
                    throw new IllegalArgumentException("carries both @" + simple(ownDesc) + " and @" + simple(d)
                            + "; JSR-107 allows one of them per method: keep one");
                }
                own = a;
                ownDesc = d;
            }
        }
        boolean onClass = false;
        if (own == null) {
            if ((m.access & Opcodes.ACC_STATIC) != 0 || (m.access & Opcodes.ACC_PRIVATE) != 0) {
                return null; // a class-level binding reaches the methods a caller could intercept, not helpers
            }
            for (String d : List.of(RESULT, PUT, REMOVE, REMOVE_ALL)) {
                AnnotationNode a = find(type.visibleAnnotations, d);
                if (a != null) {
                    own = a;
                    ownDesc = d;
                    onClass = true;
                    break;
                }
            }
            if (own == null) {
                return null;
            }
            if (ownDesc.equals(RESULT) && Type.getReturnType(m.desc).getSort() == Type.VOID) {
                return null;
            }
        }
        Kind kind = ownDesc.equals(RESULT) ? Kind.RESULT : ownDesc.equals(PUT) ? Kind.PUT
                : ownDesc.equals(REMOVE) ? Kind.REMOVE : Kind.REMOVE_ALL;
        String source = "@" + simple(ownDesc) + (onClass ? " on the class" : "");
        AnnotationNode defaults = find(type.visibleAnnotations, DEFAULTS);
        // @CacheRemoveAll has no key, so a generator named by @CacheDefaults has nothing to decide for it.
        String generator = kind == Kind.REMOVE_ALL ? null : chosen(own, defaults, "cacheKeyGenerator", KEY_GENERATOR);
        if (generator != null) {
            throw new IllegalArgumentException(source + " names cacheKeyGenerator = " + generator + ".class: the agent builds "
                    + "JSR-107 keys itself, from the key parameters as the specification's default generator does, and runs "
                    + "no generator of the application's; its keys could differ from the ones that generator makes. Drop "
                    + "cacheKeyGenerator to have the default keys, or cache the method with @Cached and a key template");
        }
        String resolver = chosen(own, defaults, "cacheResolverFactory", RESOLVER_FACTORY);
        if (resolver != null) {
            throw new IllegalArgumentException(source + " names cacheResolverFactory = " + resolver + ".class: the agent's "
                    + "caches are its regions, one per cache name, and it runs no resolver of the application's, which could "
                    + "choose another cache. Drop cacheResolverFactory (and set the cache's ttl or store under caches: in "
                    + "the agent's file), or leave the method to the application's interceptor host");
        }
        String cacheName = string(own, "cacheName");
        if (cacheName.isEmpty()) {
            cacheName = defaults == null ? "" : string(defaults, "cacheName");
        }
        if (cacheName.isEmpty()) {
            cacheName = defaultName(type, m);
        }
        int arity = Type.getArgumentTypes(m.desc).length;
        int value = parameterWith(m, VALUE);
        List<Integer> keys = new ArrayList<>();
        for (int i = 0; i < arity; i++) {
            if (parameterHas(m, i, KEY)) {
                keys.add(i);
            }
        }
        if (keys.isEmpty()) {
            for (int i = 0; i < arity; i++) {
                if (i != value) {
                    keys.add(i);
                }
            }
        }
        if (kind == Kind.PUT && value < 0) {
            throw new IllegalArgumentException("@CachePut needs one parameter marked @CacheValue, the value it puts");
        }
        boolean after = !Boolean.FALSE.equals(value(own, "afterInvocation"));
        boolean skipGet = Boolean.TRUE.equals(value(own, "skipGet"));
        String includedName = kind == Kind.RESULT ? "cachedExceptions" : kind == Kind.PUT ? "cacheFor" : "evictFor";
        String excludedName = kind == Kind.RESULT ? "nonCachedExceptions" : kind == Kind.PUT ? "noCacheFor" : "noEvictFor";
        return new Use(kind, cacheName, keys.stream().mapToInt(Integer::intValue).toArray(), value, after, skipGet,
                new Exceptions(string(own, "exceptionCacheName"), classNames(own, includedName), classNames(own, excludedName)),
                source);
    }

    /**
     * The specification's default cache name: the declaring class's binary name, '.', the method's name and its
     * parameter types as {@link Class#getName()} spells them, separated by ',' in parentheses.
     */
    static String defaultName(ClassNode type, MethodNode m) {
        StringBuilder name = new StringBuilder(type.name.replace('/', '.')).append('.').append(m.name).append('(');
        Type[] parameters = Type.getArgumentTypes(m.desc);
        for (int i = 0; i < parameters.length; i++) {
            if (i > 0) {
                name.append(',');
            }
            Type t = parameters[i];
            name.append(t.getSort() == Type.ARRAY ? t.getDescriptor().replace('/', '.') : t.getClassName());
        }
        return name.append(')').toString();
    }

    /**
     * The class a {@code Class} element names, the method's own annotation first, then {@code @CacheDefaults}: its
     * binary name, or {@code null} when neither names one other than the element's default ({@code defaultType},
     * the interface itself, which stands for the implementation's own).
     */
    private static String chosen(AnnotationNode own, AnnotationNode defaults, String element, String defaultType) {
        for (AnnotationNode a : new AnnotationNode[] {own, defaults}) {
            Object v = a == null ? null : value(a, element);
            if (v instanceof Type t && !t.getDescriptor().equals(defaultType)) {
                return t.getClassName();
            }
        }
        return null;
    }

    private static String simple(String descriptor) {
        return descriptor.substring(PACKAGE.length(), descriptor.length() - 1);
    }

    private static int parameterWith(MethodNode m, String descriptor) {
        int arity = Type.getArgumentTypes(m.desc).length;
        for (int i = 0; i < arity; i++) {
            if (parameterHas(m, i, descriptor)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean parameterHas(MethodNode m, int index, String descriptor) {
        // javac may record fewer parameter-annotation slots than parameters (synthetic ones); count from the end
        List<AnnotationNode>[] visible = m.visibleParameterAnnotations;
        if (visible == null) {
            return false;
        }
        int arity = Type.getArgumentTypes(m.desc).length;
        int slot = index - (arity - (m.visibleAnnotableParameterCount > 0 ? m.visibleAnnotableParameterCount : visible.length));
        return slot >= 0 && slot < visible.length && find(visible[slot], descriptor) != null;
    }

    private static AnnotationNode find(List<AnnotationNode> annotations, String descriptor) {
        if (annotations != null) {
            for (AnnotationNode a : annotations) {
                if (a.desc.equals(descriptor)) {
                    return a;
                }
            }
        }
        return null;
    }

    private static Object value(AnnotationNode a, String element) {
        if (a.values != null) {
            for (int i = 0; i + 1 < a.values.size(); i += 2) {
                if (a.values.get(i).equals(element)) {
                    return a.values.get(i + 1);
                }
            }
        }
        return null;
    }

    private static String string(AnnotationNode a, String element) {
        Object v = value(a, element);
        return v instanceof String s ? s : "";
    }

    /** A {@code Class[]} element's binary names. */
    private static List<String> classNames(AnnotationNode a, String element) {
        Object v = value(a, element);
        List<String> names = new ArrayList<>();
        if (v instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof Type t) {
                    names.add(t.getClassName());
                }
            }
        }
        return names;
    }
}
