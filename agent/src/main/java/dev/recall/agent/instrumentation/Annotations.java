package dev.recall.agent.instrumentation;

import net.bytebuddy.description.annotation.AnnotationDescription;
import net.bytebuddy.description.enumeration.EnumerationDescription;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.method.ParameterDescription;

/**
 * Reads Recall's annotations from class-file descriptions by name, so the agent never loads the
 * annotation classes (they belong to the application's class loaders).
 */
final class Annotations {

    static final String CACHED = "dev.recall.Cached";
    static final String CACHE_EVICT = "dev.recall.CacheEvict";
    static final String CACHE_VALUE = "dev.recall.CacheValue";
    static final String CACHED_RESOURCE = "dev/recall/Cached.class";

    private Annotations() {
    }

    static AnnotationDescription find(MethodDescription method, String type) {
        for (AnnotationDescription a : method.getDeclaredAnnotations()) {
            if (a.getAnnotationType().getName().equals(type)) {
                return a;
            }
        }
        return null;
    }

    static boolean isMarked(MethodDescription method) {
        for (AnnotationDescription a : method.getDeclaredAnnotations()) {
            String n = a.getAnnotationType().getName();
            if (n.equals(CACHED) || n.equals(CACHE_EVICT)) {
                return true;
            }
        }
        return false;
    }

    static int cacheValueParameter(MethodDescription method) {
        for (ParameterDescription p : method.getParameters()) {
            for (AnnotationDescription a : p.getDeclaredAnnotations()) {
                if (a.getAnnotationType().getName().equals(CACHE_VALUE)) {
                    return p.getIndex();
                }
            }
        }
        return -1;
    }

    static String string(AnnotationDescription a, String property) {
        return a.getValue(property).resolve(String.class);
    }

    static boolean bool(AnnotationDescription a, String property) {
        return a.getValue(property).resolve(Boolean.class);
    }

    static String enumName(AnnotationDescription a, String property) {
        return a.getValue(property).resolve(EnumerationDescription.class).getValue();
    }
}
