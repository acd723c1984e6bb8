package dev.recall.agent.instrumentation;

import dev.recall.agent.log.Log;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Whether an application already has an interceptor host for JSR-107's annotations, so the agent must leave them
 * to it (caching twice would double every write and answer from two caches). Detected per class loader by the
 * class files the known hosts ship, as that loader sees them: Spring's JCache support
 * ({@code org.springframework.cache.jcache.interceptor.JCacheInterceptor}, in spring-context-support), the JSR-107
 * reference implementation's CDI and Guice interceptors, and the CDI interceptors of Infinispan, Apache JCS and
 * Payara. A host on the class path is taken as in use: an agent cannot see at class-loading time whether, say,
 * {@code @EnableCaching} will be read; {@code -Drecall.jsr107=on} honours the annotations anyway, {@code off}
 * never does.
 *
 * <p>Shared by the class-loading threads; its cache of answers per loader is a weak map under this object's lock.
 */
final class JCacheHosts {

    /** {@code auto} (the default), {@code on} or {@code off}. */
    private static final String MODE = System.getProperty("recall.jsr107", "auto").trim().toLowerCase(Locale.ROOT);

    /** Class files (resource names) of the interceptor hosts, with what the log calls them. */
    private static final List<String[]> HOSTS = List.of(
            new String[] {"org/springframework/cache/jcache/interceptor/JCacheInterceptor.class", "Spring's JCache support"},
            new String[] {"org/jsr107/ri/annotations/cdi/CacheResultInterceptor.class", "the JSR-107 reference CDI interceptors"},
            new String[] {"org/jsr107/ri/annotations/guice/CacheResultInterceptor.class", "the JSR-107 reference Guice interceptors"},
            new String[] {"org/infinispan/jcache/annotation/CacheResultInterceptor.class", "Infinispan's JCache CDI interceptors"},
            new String[] {"org/apache/commons/jcs3/jcache/cdi/CacheResultInterceptor.class", "Apache JCS's JCache CDI interceptors"},
            new String[] {"org/apache/commons/jcs/jcache/cdi/CacheResultInterceptor.class", "Apache JCS's JCache CDI interceptors"},
            new String[] {"fish/payara/cdi/jsr107/impl/PayaraCacheResultInterceptor.class", "Payara's JCache interceptors"});

    private final Map<ClassLoader, String> hostByLoader = new WeakHashMap<>();

    /** Whether the agent honours JSR-107's annotations on classes of {@code loader}; says once per host why not. */
    boolean honoured(ClassLoader loader, String className) {
        if (MODE.equals("off")) {
            Log.infoOnce("jsr107-off", "JSR-107 annotations (javax.cache.annotation) are left alone: -Drecall.jsr107=off");
            return false;
        }
        if (MODE.equals("on") || loader == null) {
            return true;
        }
        String host;
        synchronized (this) {
            host = hostByLoader.computeIfAbsent(loader, JCacheHosts::hostOf);
        }
        if (host.isEmpty()) {
            return true;
        }
        Log.infoOnce("jsr107-host|" + host, "JSR-107 annotations (javax.cache.annotation) on " + className + " and the classes "
                + "beside it are left to " + host + ", found on the application's class path; the agent does not cache them "
                + "(-Drecall.jsr107=on to have Recall honour them instead)");
        return false;
    }

    /** The first host whose class file {@code loader} sees, or "" for none. */
    private static String hostOf(ClassLoader loader) {
        for (String[] h : HOSTS) {
            if (loader.getResource(h[0]) != null) {
                return h[1];
            }
        }
        return "";
    }
}
