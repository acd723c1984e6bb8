package dev.recall.agent.telemetry;

import dev.recall.agent.method.CachedMethod;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Which method owns the meters of each (method signature, cache) pair, so that a method released with
 * its class loader takes its meters with it. Meters are named by signature, so the same class in two
 * class loaders would map to the same meters: the first method owns them and Micrometer hands the second
 * the same instances; when the owner goes, its meters are removed and a surviving twin gets fresh ones.
 * Used only on the agent's background thread; synchronized anyway, as it is cheap and tests call it.
 */
public final class MeterBindings {

    /** Where meters are made and removed: this agent's registry, or the application's own. */
    interface Target {
        List<?> bind(CachedMethod method);

        void remove(List<?> meters);
    }

    private final Target target;
    private final Map<String, CachedMethod> owners = new HashMap<>();
    private final Map<CachedMethod, List<?>> owned = new IdentityHashMap<>();
    /** Methods whose meters a twin owns. */
    private final List<CachedMethod> twins = new ArrayList<>();

    /** @param registry created on first use: Micrometer is loaded only when the first method is bound */
    public MeterBindings(Supplier<MeterRegistry> registry) {
        this(new Target() {
            @Override
            public List<?> bind(CachedMethod method) {
                return Meters.bind(registry.get(), method);
            }

            @Override
            public void remove(List<?> meters) {
                MeterRegistry r = registry.get();
                for (Object m : meters) {
                    r.remove((Meter) m);
                }
            }
        });
    }

    public MeterBindings(Target target) {
        this.target = target;
    }

    public synchronized void bind(CachedMethod method) {
        if (method.released() || owned.containsKey(method) || twins.contains(method)) {
            return;
        }
        String key = key(method);
        if (owners.containsKey(key)) {
            twins.add(method);
            return;
        }
        owners.put(key, method);
        owned.put(method, target.bind(method));
    }

    public synchronized void unbind(CachedMethod method) {
        if (twins.remove(method)) {
            return;
        }
        List<?> meters = owned.remove(method);
        if (meters == null) {
            return;
        }
        target.remove(meters);
        String key = key(method);
        owners.remove(key);
        for (CachedMethod twin : twins) {
            if (key(twin).equals(key)) {
                twins.remove(twin);
                bind(twin);
                return;
            }
        }
    }

    private static String key(CachedMethod m) {
        return m.spec().signature().display() + '|' + m.spec().region();
    }
}
