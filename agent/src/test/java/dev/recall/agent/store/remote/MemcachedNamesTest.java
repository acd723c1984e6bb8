package dev.recall.agent.store.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Key names and expiries as Memcached takes them: at most 250 printable bytes without spaces; whole seconds up to 30 days. */
class MemcachedNamesTest {

    @Test
    void aValidNameIsKeptAndAnyOtherIsHashedIntoAValidOne() {
        String plain = "recall:com.acme.Catalog.product:AbCdEf0123456789_-xyzw";
        assertEquals(plain, MemcachedConnector.wire(plain));
        for (String odd : new String[] {"recall:my cache:abc", "recall:caché:abc", "recall:" + "r".repeat(300) + ":abc",
                "recall:tab\there:abc"}) {
            String wire = MemcachedConnector.wire(odd);
            assertTrue(wire.length() <= 250 && wire.chars().allMatch(c -> c > 0x20 && c < 0x7f), wire);
            assertEquals(wire, MemcachedConnector.wire(odd), "the same name every time, in every JVM");
        }
        assertNotEquals(MemcachedConnector.wire("recall:a b:1"), MemcachedConnector.wire("recall:a b:2"));
    }

    @Test
    void expiriesAreWholeSecondsRoundedUpAndNeverAPointInTime() {
        assertEquals(1, MemcachedConnector.seconds(1));
        assertEquals(1, MemcachedConnector.seconds(1000));
        assertEquals(2, MemcachedConnector.seconds(1001));
        assertEquals(60, MemcachedConnector.seconds(Fence.MILLIS));
        assertEquals(30 * 24 * 3600, MemcachedConnector.seconds(Long.MAX_VALUE / 2));
    }
}
