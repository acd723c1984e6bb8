package dev.recall.agent.telemetry;

import dev.recall.agent.log.Log;
import dev.recall.agent.method.CachedMethod;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * {@code metrics.globalRegistry}: the same meters ({@link Meters#define}) registered in the application's own
 * Micrometer, in its {@code Metrics.globalRegistry}, where Spring Boot (whose auto-configured registries join it
 * unless {@code management.metrics.use-global-registry=false}) and any other user of the global registry export
 * them: {@code /actuator/prometheus} then shows {@code cache_gets_total{method=...}}. The agent's own Micrometer is
 * shaded, so the application's is a different library, reached by reflection through the loader of each
 * method's class; a loader that sees no Micrometer gets nothing, said once.
 *
 * <p>Used on the agent's background thread only (through {@link MeterBindings}, which is synchronized).
 */
public final class ApplicationMeters implements MeterBindings.Target {

    /**
     * The application's Micrometer package, put together at run time: the shade plugin rewrites every string
     * constant that names {@code io.micrometer} to the agent's relocated copy, which is not the application's.
     */
    private static final String PACKAGE = String.join(".", "io", "micrometer", "core", "instrument");
    private static final String METRICS = PACKAGE + ".Metrics";

    /** The application's Micrometer by class loader; {@code null}: that loader sees none. */
    private final Map<ClassLoader, Micrometer> byLoader = new WeakHashMap<>();

    /** The reflective handles of one copy of the application's Micrometer. */
    private record Micrometer(Object registry, Method counter, Method gauge, Method timer, Method remove) {
    }

    @Override
    public List<?> bind(CachedMethod method) {
        ClassLoader loader = method.loader();
        Micrometer micrometer = loader == null ? null : byLoader.computeIfAbsent(loader, ApplicationMeters::find);
        if (micrometer == null) {
            return List.of();
        }
        List<Object> made = new ArrayList<>();
        try {
            Meters.define(method, new Meters.Sink() {
                @Override
                public <T> void counter(String name, T source, ToDoubleFunction<T> count, String baseUnit, String description,
                                        String... tags) {
                    made.add(register(micrometer, call(micrometer.counter, name, source, count), baseUnit, description, tags));
                }

                @Override
                public <T> void gauge(String name, T source, ToDoubleFunction<T> value, String baseUnit, String description,
                                      String... tags) {
                    made.add(register(micrometer, call(micrometer.gauge, name, source, value), baseUnit, description, tags));
                }

                @Override
                public <T> void timer(String name, T source, ToLongFunction<T> count, ToDoubleFunction<T> totalNanos,
                                      String description, String... tags) {
                    made.add(register(micrometer, call(micrometer.timer, name, source, count, totalNanos,
                            TimeUnit.NANOSECONDS), null, description, tags));
                }
            });
        } catch (RuntimeException e) {
            Log.once("app-meters|" + method.spec().signature().display(), "metrics.globalRegistry: the meters of "
                    + method.spec().signature() + " could not be registered in the application's Micrometer", e);
        }
        return made;
    }

    /** A static builder method of the application's Micrometer. */
    private static Object call(Method builder, Object... args) {
        try {
            return builder.invoke(null, args);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sets tags, base unit and description on a builder of the application's Micrometer, and registers it. */
    private static Object register(Micrometer m, Object builder, String baseUnit, String description, String... tags) {
        try {
            Class<?> type = builder.getClass();
            type.getMethod("tags", String[].class).invoke(builder, (Object) tags);
            if (baseUnit != null) {
                type.getMethod("baseUnit", String.class).invoke(builder, baseUnit);
            }
            type.getMethod("description", String.class).invoke(builder, description);
            Class<?> registryType = m.remove.getDeclaringClass();
            return type.getMethod("register", registryType).invoke(builder, m.registry);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void remove(List<?> meters) {
        if (meters.isEmpty()) {
            return;
        }
        for (Micrometer m : byLoader.values()) {
            if (m == null) {
                continue;
            }
            for (Object meter : meters) {
                try {
                    if (m.remove.getParameterTypes()[0].isInstance(meter)) {
                        m.remove.invoke(m.registry, meter);
                    }
                } catch (ReflectiveOperationException | RuntimeException ignored) {
                    // its registry went with its loader
                }
            }
        }
    }

    private static Micrometer find(ClassLoader loader) {
        try {
            Class<?> metrics = Class.forName(METRICS, true, loader);
            Object registry = metrics.getField("globalRegistry").get(null);
            ClassLoader own = metrics.getClassLoader();
            Class<?> counter = Class.forName(PACKAGE + ".FunctionCounter", false, own);
            Class<?> gauge = Class.forName(PACKAGE + ".Gauge", false, own);
            Class<?> timer = Class.forName(PACKAGE + ".FunctionTimer", false, own);
            Class<?> meter = Class.forName(PACKAGE + ".Meter", false, own);
            Class<?> meterRegistry = Class.forName(PACKAGE + ".MeterRegistry", false, own);
            Micrometer m = new Micrometer(registry,
                    counter.getMethod("builder", String.class, Object.class, ToDoubleFunction.class),
                    gauge.getMethod("builder", String.class, Object.class, ToDoubleFunction.class),
                    timer.getMethod("builder", String.class, Object.class, ToLongFunction.class, ToDoubleFunction.class, TimeUnit.class),
                    meterRegistry.getMethod("remove", meter));
            Log.info("metrics.globalRegistry: the meters are also in the application's Micrometer (" + METRICS
                    + ".globalRegistry, " + own + ")");
            return m;
        } catch (ClassNotFoundException | NoClassDefFoundError e) {
            Log.warnOnce("app-meters-none|" + loader, "metrics.globalRegistry: the class loader " + loader + " sees no "
                    + "Micrometer (" + METRICS + "), so the meters of its methods are only in JMX and the agent's own exports");
            return null;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            Log.once("app-meters-find|" + loader, "metrics.globalRegistry: the application's Micrometer could not be used", e);
            return null;
        }
    }
}
