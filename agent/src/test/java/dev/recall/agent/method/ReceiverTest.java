package dev.recall.agent.method;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.recall.agent.config.CopyKind;
import dev.recall.agent.config.StoreKind;
import dev.recall.agent.config.StrategyKind;
import dev.recall.agent.config.WriteBackSettings;
import dev.recall.agent.store.Regions;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Receivers that differ in state never share entries; receivers equal in state do. */
class ReceiverTest {

    /** Like a generic repository bean, instantiated once per entity type. */
    static final class Dao {
        final Class<?> entity;
        final String table;

        Dao(Class<?> entity, String table) {
            this.entity = entity;
            this.table = table;
        }
    }

    private final MethodRegistry registry = new MethodRegistry(new Regions(null), WriteBackSettings.DEFAULT);

    private ReadMethod method(boolean byReceiver) {
        String signature = "com.acme.Dao.find(java.lang.Object)";
        MethodSpec spec = new MethodSpec(TestMethods.signature(signature), TestMethods.returns(Object.class), signature,
                TestMethods.key("", List.of("id")), new MethodSettings.Read(StrategyKind.READ_THROUGH,
                new MethodSettings.Entries(TestMethods.TTL, true, 1000, StoreKind.LOCAL, CopyKind.AUTO), TestMethods.LOAD_WAIT),
                "test", byReceiver);
        return (ReadMethod) registry.method(registry.register(spec, getClass().getClassLoader()));
    }

    private static Object call(ReadMethod m, Object self, Object id, Object result) {
        return TestMethods.call(m, self, id, result);
    }

    @Test
    void twoInstancesOfOneClassThatDifferInStateNeverAnswerEachOthersCalls() {
        ReadMethod m = method(true);
        Dao owners = new Dao(String.class, "owners");
        Dao vets = new Dao(Integer.class, "vets");
        assertEquals("owner 1", call(m, owners, 1, "owner 1"));
        assertEquals("vet 1", call(m, vets, 1, "vet 1"), "the vets' repository loads its own");
        assertEquals("owner 1", call(m, owners, 1, "reloaded"));
        assertEquals("vet 1", call(m, vets, 1, "reloaded"));
        assertEquals(2, m.stats().loads());
        assertEquals(2, m.regions().size());
        assertEquals(2, m.size());
    }

    @Test
    void instancesEqualInStateShare() {
        ReadMethod m = method(true);
        call(m, new Dao(String.class, "owners"), 1, "owner 1");
        assertEquals("owner 1", call(m, new Dao(String.class, "owners"), 1, "loaded again"), "another instance, the same state");
        assertEquals(1, m.stats().loads());
    }

    @Test
    void aSharedMethodIgnoresItsReceivers() {
        ReadMethod m = method(false);
        call(m, new Dao(String.class, "owners"), 1, "owner 1");
        assertEquals("owner 1", call(m, new Dao(Integer.class, "vets"), 1, "vet 1"));
    }

    @Test
    void beyondSixtyFourStatesCallsRunUncached() {
        ReadMethod m = method(true);
        for (int i = 0; i < 64; i++) {
            call(m, new Dao(String.class, "t" + i), 1, "v" + i);
        }
        assertNull(m.enter(new Dao(String.class, "one too many"), 1, null, null), "the body runs, uncached");
        assertEquals("v3", call(m, new Dao(String.class, "t3"), 1, "again"), "the states seen keep their entries");
    }
}
