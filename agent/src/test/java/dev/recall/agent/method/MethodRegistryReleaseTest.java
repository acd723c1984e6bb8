package dev.recall.agent.method;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recall.agent.config.StrategyKind;
import dev.recall.agent.config.WriteBackSettings;
import dev.recall.agent.store.Regions;
import dev.recall.bridge.Bridge;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MethodRegistryReleaseTest {

    @Test
    void aMethodOfACollectedLoaderIsReleasedAndItsSlotReused() throws Exception {
        MethodRegistry registry = new MethodRegistry(new Regions(null), WriteBackSettings.DEFAULT);
        List<CachedMethod> released = new ArrayList<>();
        registry.onReleased(released::add);
        int id = registerWithThrowawayLoader(registry);
        assertEquals(1, registry.all().size(), "called once");

        for (int i = 0; i < 50 && registry.releaseUnloaded() == 0; i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertEquals(1, released.size(), "released once its loader was collected");
        assertTrue(released.get(0).released());
        assertTrue(registry.all().isEmpty());
        assertNull(Bridge.site(id), "the bridge keeps nothing of it");

        int reused = registry.register(TestMethods.readSpec("com.acme.B.b(long)", "b", StrategyKind.READ_THROUGH, true),
                getClass().getClassLoader());
        assertEquals(id, reused, "the empty slot is taken before the bridge grows");
        assertSame(registry.matched(reused), Bridge.site(reused), "a matched method until its first call");
        assertSame(registry.method(reused), Bridge.site(reused), "the method itself after it");
    }

    @Test
    void beyondMaxMethodsRegistrationIsRefused() {
        MethodRegistry registry = new MethodRegistry(new Regions(null), WriteBackSettings.DEFAULT, 2);
        ClassLoader loader = getClass().getClassLoader();
        assertTrue(registry.register(TestMethods.readSpec("com.acme.M.a(long)", "m", StrategyKind.READ_THROUGH, true), loader) >= 0);
        assertTrue(registry.register(TestMethods.readSpec("com.acme.M.b(long)", "m", StrategyKind.READ_THROUGH, true), loader) >= 0);
        assertEquals(-1, registry.register(TestMethods.readSpec("com.acme.M.c(long)", "m", StrategyKind.READ_THROUGH, true), loader));
        assertEquals(2, registry.matched().size());
    }

    /** In its own frame, so that no local of the test keeps the loader reachable. */
    private static int registerWithThrowawayLoader(MethodRegistry registry) {
        ClassLoader throwaway = new ClassLoader(null) { };
        int id = registry.register(TestMethods.readSpec("com.acme.A.a(long)", "a", StrategyKind.READ_THROUGH, true), throwaway);
        registry.method(id);
        return id;
    }
}
