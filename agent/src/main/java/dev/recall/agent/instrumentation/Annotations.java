package dev.recall.agent.instrumentation;

import java.util.List;
import org.objectweb.asm.tree.AnnotationNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Reads Recall's annotations from class files by descriptor, so the agent never loads the annotation
 * classes (they belong to the application's class loaders). A class file records only the values
 * written in the source; an absent one has the annotation's default, which {@link #DEFAULTS} repeats
 * (a unit test holds them equal to the annotation classes').
 */
final class Annotations {

    static final String CACHED = "Ldev/recall/Cached;";
    /**
     * {@code -Drecall.annotations=false}: {@code @Cached} and {@code @CacheEvict} are ignored everywhere, and only
     * the configuration file caches; to try a file (the advisor's proposal) on code that carries annotations.
     */
    static final boolean READ = !"false".equalsIgnoreCase(System.getProperty("recall.annotations", "true").trim());
    static final String CACHE_EVICT = "Ldev/recall/CacheEvict;";
    static final String CACHE_VALUE = "Ldev/recall/CacheValue;";

    /** Defaults of the annotations' elements: strings empty, booleans false, the strategy READ_THROUGH. */
    static final String DEFAULT_STRATEGY = "READ_THROUGH";
    static final String DEFAULT_COPY = "AUTO";

    private Annotations() {
    }

    static AnnotationNode find(MethodNode method, String descriptor) {
        AnnotationNode a = find(method.visibleAnnotations, descriptor);
        return a != null ? a : find(method.invisibleAnnotations, descriptor);
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

    /** The index of the parameter marked {@code @CacheValue}, or -1. */
    static int cacheValueParameter(MethodNode method) {
        for (List<AnnotationNode>[] byParameter : List.of(nonNull(method.visibleParameterAnnotations),
                nonNull(method.invisibleParameterAnnotations))) {
            for (int i = 0; i < byParameter.length; i++) {
                if (find(byParameter[i], CACHE_VALUE) != null) {
                    return i;
                }
            }
        }
        return -1;
    }

    @SuppressWarnings("unchecked")
    private static List<AnnotationNode>[] nonNull(List<AnnotationNode>[] annotations) {
        return annotations == null ? new List[0] : annotations;
    }

    static String string(AnnotationNode a, String element) {
        Object v = value(a, element);
        return v == null ? "" : (String) v;
    }

    static boolean bool(AnnotationNode a, String element) {
        Object v = value(a, element);
        return v != null && (Boolean) v;
    }

    static String enumName(AnnotationNode a, String element, String fallback) {
        Object v = value(a, element);
        return v == null ? fallback : ((String[]) v)[1]; // {descriptor, constant name}
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
}
