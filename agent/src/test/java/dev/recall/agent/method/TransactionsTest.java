package dev.recall.agent.method;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recall.agent.store.Accessor;
import dev.recall.agent.store.Entry;
import dev.recall.agent.store.Region;
import dev.recall.bridge.Call;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.AbstractPlatformTransactionManager;
import org.springframework.transaction.support.DefaultTransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The cached methods inside Spring transactions, run by Spring's own transaction machinery (a transaction manager
 * with no resource: begin, commit and roll back do nothing, synchronization is Spring's): a read inside a
 * read-write transaction is not answered from the cache; one inside a read-only transaction is; an eviction or a
 * write-through made inside a transaction invalidates again when it ends.
 */
class TransactionsTest {

    private static final long HOUR = TimeUnit.HOURS.toNanos(1);

    /** Spring's synchronization and flags, with no resource behind them. */
    static final class NoResourceTransactions extends AbstractPlatformTransactionManager {
        @Override
        protected Object doGetTransaction() {
            return new Object();
        }

        @Override
        protected void doBegin(Object transaction, TransactionDefinition definition) {
        }

        @Override
        protected void doCommit(DefaultTransactionStatus status) {
        }

        @Override
        protected void doRollback(DefaultTransactionStatus status) {
        }
    }

    private final TransactionTemplate readWrite = new TransactionTemplate(new NoResourceTransactions());
    private final TransactionTemplate readOnly = new TransactionTemplate(new NoResourceTransactions());
    private final Region region = TestMethods.region("products");
    private final ReadThroughMethod reader = TestMethods.readThrough("com.acme.Repo.find(long)", region);

    TransactionsTest() {
        readOnly.setReadOnly(true);
        reader.bindLoader(getClass().getClassLoader());
    }

    private void put(long key, Object value) {
        region.write(key, Entry.expiringAfter(value, 1_000, HOUR), Accessor.NONE);
    }

    private Object cached(long key) {
        Entry e = region.get(key, Accessor.NONE);
        return e == null ? null : e.value();
    }

    @Test
    void aLoaderWithoutATransactionManagerIsRememberedAsNone() throws Exception {
        try (URLClassLoader bare = new URLClassLoader(new URL[0], ClassLoader.getPlatformClassLoader())) {
            assertSame(Transactions.NONE, Transactions.of(bare));
            assertSame(Transactions.NONE, Transactions.of(null));
        }
        assertFalse(Transactions.of(getClass().getClassLoader()) == Transactions.NONE, "Spring is on this class path");
    }

    @Test
    void aReadInsideAReadWriteTransactionRunsTheMethodAndStoresNothing() {
        put(5L, "cached");
        assertEquals("cached", reader.lookup(null, 5L, null, null), "outside a transaction: a hit");
        readWrite.executeWithoutResult(s -> {
            assertNull(reader.lookup(null, 5L, null, null), "inside: no hit on the quick path");
            assertNull(reader.enter(null, 6L, null, null), "inside: the body runs, no load of the agent's");
            assertNull(reader.enter(null, 5L, null, null), "inside: not answered from the cache");
        });
        assertNull(cached(6L), "nothing stored for a read inside the transaction");
        assertEquals("cached", reader.enter(null, 5L, null, null), "after it: a hit again");
    }

    @Test
    void aReadInsideAReadOnlyTransactionIsAnsweredFromTheCache() {
        put(5L, "cached");
        readOnly.executeWithoutResult(s -> assertEquals("cached", reader.enter(null, 5L, null, null)));
    }

    /**
     * An entry holding lazy associations left unloaded answers only where no session surrounds the call: inside a
     * read-only transaction the session could load them, so the method runs (and the call is a miss).
     */
    @Test
    void anEntryWithUnloadedPartsAnswersOnlyWithNoSessionAroundTheCall() {
        region.write(7L, new Entry(new dev.recall.agent.codec.ValueCopier.Unloaded("unloaded"), 1_000, System.nanoTime(),
                System.nanoTime() + HOUR, System.nanoTime() + HOUR, true), Accessor.NONE);
        assertEquals("unloaded", reader.lookup(null, 7L, null, null), "no session around the call: a hit");
        assertEquals("unloaded", reader.enter(null, 7L, null, null));
        long misses = reader.stats.misses();
        readOnly.executeWithoutResult(s -> {
            assertNull(reader.lookup(null, 7L, null, null), "a read-only transaction's session could load them");
            assertNull(reader.enter(null, 7L, null, null), "the method runs");
        });
        assertEquals(misses + 1, reader.stats.misses(), "counted as a miss");
        put(8L, "complete");
        readOnly.executeWithoutResult(s -> assertEquals("complete", reader.enter(null, 8L, null, null), "complete results serve"));
    }

    @Test
    void anEvictionInsideATransactionIsMadeAtReturnAndAgainWhenItCommits() {
        EvictMethod evict = new EvictMethod(TestMethods.evictSpec("com.acme.Repo.delete(long)", "products",
                TestMethods.key("{0}", List.of("id")), 1, false, false), region);
        evict.bindLoader(getClass().getClassLoader());
        put(5L, "old");
        readWrite.executeWithoutResult(s -> {
            Call call = assertInstanceOf(Call.class, evict.enter(null, 5L, null, null));
            evict.exit(call, null, null);
            assertNull(cached(5L), "evicted at the method's return");
            put(5L, "old, loaded by a read before the commit");
        });
        assertNull(cached(5L), "evicted again at the commit");
    }

    @Test
    void anEvictionInsideATransactionThatRollsBackIsMadeAgainToo() {
        EvictMethod evict = new EvictMethod(TestMethods.evictSpec("com.acme.Repo.delete(long)", "products",
                TestMethods.key("{0}", List.of("id")), 1, true, true), region);
        evict.bindLoader(getClass().getClassLoader());
        put(5L, "old");
        readWrite.executeWithoutResult(s -> {
            assertNull(evict.enter(null, 5L, null, null), "before invocation: nothing to do at exit");
            assertNull(cached(5L));
            put(5L, "loaded meanwhile");
            s.setRollbackOnly();
        });
        assertNull(cached(5L), "evicting again after a roll back removes only what may be stale");
    }

    @Test
    void aWriteThroughInsideATransactionInvalidatesInsteadOfWriting() {
        WriteThroughMethod update = new WriteThroughMethod(TestMethods.writeSpec("com.acme.Repo.update(long,java.lang.String)",
                "products", TestMethods.key("{0}", List.of("id", "name")), 2, false, 1, true), region);
        update.bindLoader(getClass().getClassLoader());
        put(5L, "old");
        readWrite.executeWithoutResult(s -> {
            Call call = assertInstanceOf(Call.class, update.enter(null, 5L, "new", null));
            update.exit(call, null, null);
            assertNull(cached(5L), "the uncommitted value is not cached; the old one is gone");
            put(5L, "old, loaded by a read before the commit");
        });
        assertNull(cached(5L), "invalidated again at the commit");
        Call call = assertInstanceOf(Call.class, update.enter(null, 5L, "newer", null));
        update.exit(call, null, null);
        assertEquals("newer", cached(5L), "outside a transaction a write-through writes, as before");
    }
}
