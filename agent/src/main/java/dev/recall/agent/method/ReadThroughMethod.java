package dev.recall.agent.method;

import dev.recall.agent.store.Region;

/**
 * {@code READ_THROUGH}: a {@link ReadMethod} whose misses coalesce, so the method runs once per key however
 * many threads (and JVMs, on a shared store) miss together. {@link Load} does the coalescing. Not final: a
 * method's site is of a hidden subclass made for its kind of key ({@link CompiledSites}).
 */
public class ReadThroughMethod extends ReadMethod {

    public ReadThroughMethod(MethodSpec spec, Region region) {
        super(spec, region, true);
    }
}
