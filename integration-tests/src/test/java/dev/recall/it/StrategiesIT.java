package dev.recall.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recall.it.app.ConcurrencyApp;
import dev.recall.it.app.EvictApp;
import dev.recall.it.app.TtlApp;
import dev.recall.it.app.WriteThroughApp;
import org.junit.jupiter.api.Test;

/** READ_THROUGH, CACHE_ASIDE, WRITE_THROUGH, TTLs and @CacheEvict in application JVMs. */
class StrategiesIT {

    private static Result concurrency;

    /** One run of the concurrency application serves the three tests that read it. */
    private static synchronized Result concurrency() {
        if (concurrency == null) {
            concurrency = AppJvm.main(ConcurrencyApp.class).run().assertSucceeded();
        }
        return concurrency;
    }

    @Test
    void readThroughLoadsOncePerKeyWhileCacheAsideDoesNotCoalesce() {
        Result r = concurrency();
        assertEquals("[value-k]", r.value("readThrough.distinct"));
        assertEquals("[value-even, value-odd]", r.value("twoKeys.distinct"));
        assertEquals(3, r.intValue("readThrough.calls"), "one load for k, one each for even and odd\n" + r);
        assertEquals("[value-k]", r.value("cacheAside.distinct"));
        assertTrue(r.intValue("cacheAside.calls") > 1, "cache-aside must not make threads wait for each other\n" + r);
    }

    @Test
    void aFailedLoadFailsOnlyItsOwnCallerAndTheWaitersLoadAgainOneAtATime() {
        Result r = concurrency();
        assertEquals(1, r.intValue("firstLoadFails.threw"), r::toString);
        assertEquals(ConcurrencyApp.THREADS - 1, r.intValue("firstLoadFails.succeeded"));
        assertEquals(2, r.intValue("firstLoadFails.calls"), "the failed load and one retry\n" + r);
    }

    @Test
    void aLoadThatReentersItsOwnKeyDoesNotDeadlock() {
        Result r = concurrency();
        // recursive(3) -> 1 + recursive(3) again on the same thread -> 1 + 0: both bodies ran.
        assertEquals(2, r.intValue("recursive.result"));
        assertEquals(2, r.intValue("recursive.calls"));
    }

    @Test
    void entriesExpireAfterTheirMethodsTtl() {
        Result r = AppJvm.main(TtlApp.class).config("ttl-default.yml").run().assertSucceeded();
        assertEquals(1, r.intValue("beforeExpiry.shortLived"));
        assertEquals(2, r.intValue("shortLived.calls"), "400ms entry reloaded after 1s\n" + r);
        assertEquals(1, r.intValue("longLived.calls"), "1h entry still there after 1s\n" + r);
        assertEquals(2, r.intValue("defaultTtl.calls"), "defaults.ttl of 400ms applied\n" + r);
    }

    @Test
    void withoutAConfigFileTheBuiltInDefaultTtlIsFiveMinutes() {
        Result r = AppJvm.main(TtlApp.class).run().assertSucceeded();
        assertEquals(1, r.intValue("defaultTtl.calls"), r::toString);
    }

    @Test
    void evictByKeyAllEntriesBeforeAndAfterTheCall() {
        Result r = AppJvm.main(EvictApp.class).run().assertSucceeded();
        assertEquals(2, r.intValue("afterRemove.a"), "a reloaded after remove(a)\n" + r);
        assertEquals(1, r.intValue("afterRemove.b"), "b untouched by remove(a)\n" + r);
        assertEquals(2, r.intValue("afterFailedRemove.a"), "a call that throws evicts nothing\n" + r);
        assertEquals(3, r.intValue("afterBeforeInvocation.a"), "beforeInvocation evicts even if the call throws\n" + r);
        assertEquals(4, r.intValue("afterClear.a"));
        assertEquals(2, r.intValue("afterClear.b"));
    }

    @Test
    void writeThroughSetsTheEntryAndAFailedWriteInvalidatesIt() {
        Result r = AppJvm.main(WriteThroughApp.class).run().assertSucceeded();
        assertEquals("150", r.value("afterSave.balance"));
        assertEquals(1, r.intValue("afterSave.loads"), "the reader was served the written value\n" + r);
        assertEquals("175", r.value("afterPut.balance"));
        assertEquals(1, r.intValue("afterPut.loads"), "@CacheValue parameter written\n" + r);
        assertEquals("999", r.value("afterFailedSave.balance"));
        assertEquals(2, r.intValue("afterFailedSave.loads"), "a failed write leaves no entry: reloaded\n" + r);
        assertEquals("new", r.value("afterRename.nickname"));
        assertEquals(1, r.intValue("afterRename.loads"), "the parameter the key does not use was written\n" + r);
    }
}
