package dev.recall.agent.method;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recall.agent.config.CopyKind;
import org.junit.jupiter.api.Test;

/**
 * A result that is the caller's own object (its argument, or the receiver a fluent method returns) cannot be
 * cached by value: a copy is never that object (HostileShapesIT S31). Before: the first call stored a copy, and
 * every hit answered with an object that was not the argument, so {@code ==} and the caller's later changes differed.
 */
class OwnObjectResultTest {

    static final class Bean {
        int qty;

        Bean(int qty) {
            this.qty = qty;
        }
    }

    @Test
    void aMethodReturningItsArgumentIsRefusedAndEveryCallGetsItsOwnObject() {
        ReadThroughMethod m = TestMethods.readThrough("com.acme.Beans.same(com.acme.Bean)", "beans", CopyKind.AUTO);
        Bean mine = new Bean(1);
        assertSame(mine, TestMethods.call(m, null, mine, mine));
        assertTrue(m.refusedReason() != null && m.refusedReason().contains("argument 1"), String.valueOf(m.refusedReason()));
        assertNull(m.enter(null, new Bean(1), null, null), "refused: the body runs, and the caller gets its own object");
        assertEquals(0, m.stats().hits());
    }

    @Test
    void aMethodReturningItsReceiverIsRefused() {
        ReadThroughMethod m = TestMethods.readThrough("com.acme.Fluent.self(int)", "fluent", CopyKind.AUTO);
        Bean self = new Bean(2);
        assertSame(self, TestMethods.call(m, self, 1, self));
        assertTrue(m.refusedReason() != null && m.refusedReason().contains("receiver"), String.valueOf(m.refusedReason()));
    }

    @Test
    void anImmutableArgumentReturnedIsCachedAsBefore() {
        ReadThroughMethod m = TestMethods.readThrough("com.acme.Names.trim(java.lang.String)", "names", CopyKind.AUTO);
        String s = "ab";
        TestMethods.call(m, null, s, s);
        assertEquals("ab", TestMethods.call(m, null, "ab", "loaded again"));
        assertNull(m.refusedReason());
        assertEquals(1, m.stats().hits());
    }
}
