package dev.recall.agent.advise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recall.agent.config.MethodSignature;
import dev.recall.bridge.Call;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Observers driven as the woven code drives them (enter, the body, exit), on real arguments and results, and
 * the verdicts their evidence gives: what the advisor recommends, and each reason it refuses for.
 */
class ObserverTest {

    private static final long WORK_NANOS = 200_000;

    static Observer observer(String method, int arity) {
        List<String> params = new ArrayList<>();
        for (int i = 0; i < arity; i++) {
            params.add("java.lang.Object");
        }
        return new Observer(new MethodSignature("com.acme.Service", method, params), false);
    }

    /** One call: the body takes {@code work} nanoseconds and returns what {@code body} makes of the arguments. */
    static Object call(Observer o, Object self, Object a0, Object a1, long work, Function<Object[], Object> body) {
        Object call = o.enter(self, a0, a1, null);
        busy(work);
        Object result = body.apply(new Object[] {a0, a1});
        o.exit((Call) call, result, null);
        return result;
    }

    static void busy(long nanos) {
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() - end < 0) {
            Thread.onSpinWait();
        }
    }

    /** Refused, and for {@code reason} before any other. */
    static void assertRefusedFirstFor(Observer o, String reason) {
        Verdict v = verdict(o);
        assertEquals(Verdict.Status.REFUSED, v.status(), v::toString);
        assertTrue(v.reasons().get(0).startsWith(reason), v::toString);
    }

    static Verdict verdict(Observer o) {
        return Judge.alone(o, o.evidence().figures(System.nanoTime()));
    }

    @Test
    void repeatedArgumentsGivingEqualResultsAreRecommendedWithATtl() {
        Observer o = observer("lookup", 1);
        for (int i = 0; i < 60; i++) {
            call(o, this, "key" + i % 4, null, WORK_NANOS, a -> ((String) a[0]).toUpperCase());
        }
        Verdict v = verdict(o);
        assertEquals(Verdict.Status.RECOMMENDED, v.status(), v::toString);
        assertTrue(v.estimate().hitRatio() > 0.7, v::toString); // the first sight of each of the 4 keys is a miss among ~20 analysed calls
        assertEquals(1.0, v.figures().recurrence().sameResultShare(), 1e-9);
        assertNotNull(v.rule().ttl());
        assertTrue(v.estimate().savedMillisPerSecond() > 0, v::toString);
        assertNull(v.rule().key(), "one argument: the default key");
    }

    @Test
    void aMethodThatFillsItsMapArgumentIsRefused() {
        Observer o = observer("fill", 2);
        for (int i = 0; i < 30; i++) {
            call(o, this, "key" + i % 3, new HashMap<String, String>(), WORK_NANOS, a -> {
                @SuppressWarnings("unchecked") Map<String, String> m = (Map<String, String>) a[1];
                m.put("filled", "yes");
                return 1;
            });
        }
        assertRefusedFirstFor(o, "writes into its argument #1 (java.util.HashMap)");
    }

    @Test
    void aResultThatDependsOnTheClockIsRefused() {
        Observer o = observer("now", 1);
        for (int i = 0; i < 30; i++) {
            call(o, this, "utc", null, WORK_NANOS, a -> System.nanoTime());
        }
        assertRefusedFirstFor(o, "result differs for equal arguments (100%");
    }

    @Test
    void argumentsThatNeverRepeatAreRefused() {
        Observer o = observer("byId", 1);
        for (int i = 0; i < 40; i++) {
            call(o, this, (long) i, null, WORK_NANOS, a -> "row " + a[0]);
        }
        assertRefusedFirstFor(o, "arguments never repeat: 0.0% of ");
    }

    @Test
    void aCheapMethodIsRefusedAndRetiredByTheBackgroundPass() {
        Advisor advisor = new Advisor();
        Observer o = (Observer) dev.recall.bridge.Bridge.site(advisor.observe(
                new MethodSignature("com.acme.Service", "cheap", List.of("java.lang.Object")), "java.lang.Object", false));
        for (int i = 0; i < 300; i++) {
            call(o, this, "k" + i % 2, null, 0, a -> a[0]);
        }
        advisor.tick();
        assertTrue(o.retired());
        assertNull(o.enter(this, "k0", null, null), "a retired method runs as if unobserved");
        Verdict v = advisor.proposal().verdicts().get(0);
        assertTrue(v.reasons().stream().anyMatch(r -> r.startsWith("too cheap")), v::toString);
    }

    @Test
    void aResultItsCallerChangesIsRefused() {
        Observer outer = observer("page", 1);
        Observer inner = observer("rows", 1);
        for (int i = 0; i < 20; i++) {
            Object outerCall = outer.enter(this, "p" + i % 2, null, null);
            @SuppressWarnings("unchecked")
            List<Integer> rows = (List<Integer>) call(inner, this, "p" + i % 2, null, WORK_NANOS, a -> new ArrayList<>(List.of(1, 2)));
            rows.add(3); // what a caller that "owns" its result does
            outer.exit((Call) outerCall, rows.size(), null);
        }
        assertRefusedFirstFor(inner, "callers change its result after it returns (java.util.ArrayList, ");
    }

    @Test
    void aResultNobodyChangesIsRecommendedWithANoteOnCopies() {
        Observer o = observer("rows", 1);
        for (int i = 0; i < 40; i++) {
            call(o, this, "p" + i % 2, null, WORK_NANOS, a -> new ArrayList<>(List.of(1, 2)));
        }
        Verdict v = verdict(o);
        assertEquals(Verdict.Status.RECOMMENDED, v.status(), v::toString);
        assertTrue(v.rule().note().contains("java.util.ArrayList"), v::toString);
    }

    @Test
    void anOuterMethodWhoseTimeIsInARecommendedOneIsCovered() {
        Observer outer = observer("service", 1);
        Observer inner = observer("repository", 1);
        for (int i = 0; i < 40; i++) {
            String key = "k" + i % 3;
            Object outerCall = outer.enter(this, key, null, null);
            Object r = call(inner, this, key, null, WORK_NANOS, a -> a[0] + "!");
            outer.exit((Call) outerCall, r, null);
        }
        long now = System.nanoTime();
        Map<Observer, Figures> seen = new IdentityHashMap<>();
        seen.put(outer, outer.evidence().figures(now));
        seen.put(inner, inner.evidence().figures(now));
        List<Verdict> verdicts = Judge.judge(seen);
        assertEquals("repository", verdicts.get(0).signature().methodName(), verdicts::toString);
        assertEquals(Verdict.Status.RECOMMENDED, verdicts.get(0).status());
        assertEquals(Verdict.Status.COVERED, verdicts.get(1).status(), verdicts::toString);
        assertTrue(verdicts.get(1).reasons().get(0).contains("Service.repository(Object)"), verdicts::toString);
    }

    @Test
    void anArgumentThatNeverDecidesTheResultIsLeftOutOfTheKey() {
        Observer o = observer("rate", 2);
        for (int i = 0; i < 60; i++) {
            call(o, this, "EUR" + i % 2, "trace-" + i % 5, WORK_NANOS, a -> a[0] + "=1.08");
        }
        Verdict v = verdict(o);
        assertEquals(Verdict.Status.RECOMMENDED, v.status(), v::toString);
        assertEquals("{0}", v.rule().key());
    }

    @Test
    void instancesOfOtherStateGivingEqualResultsAreShared() {
        Observer o = observer("find", 1);
        for (int i = 0; i < 60; i++) {
            call(o, new Receiver(i % 3), "k" + i % 2, null, WORK_NANOS, a -> a[0] + "?");
        }
        Verdict v = verdict(o);
        assertEquals(Verdict.Status.RECOMMENDED, v.status(), v::toString);
        assertTrue(v.rule().shared(), v::toString);
    }

    /** A receiver whose state differs from instance to instance. */
    record Receiver(int instance) {
    }

    @Test
    void ttlsAreRoundedDownToOneSignificantFigure() {
        assertEquals(java.time.Duration.ofMillis(100), Judge.nice(40));
        assertEquals(java.time.Duration.ofMillis(800), Judge.nice(850));
        assertEquals(java.time.Duration.ofSeconds(9), Judge.nice(9_400));
        assertEquals(java.time.Duration.ofSeconds(40), Judge.nice(47_000));
        assertEquals(java.time.Duration.ofMinutes(3), Judge.nice(210_000));
        assertEquals(java.time.Duration.ofMinutes(10), Judge.nice(3_600_000));
    }

    /** A row as a repository returns it. */
    record Item(long id, int price) {
    }

    private static Observer reader(String name) {
        return new Observer(new MethodSignature("com.acme.Repo", name, List.of("long")), false);
    }

    private static Observer writer() {
        return new Observer(new MethodSignature("com.acme.Repo", "save", List.of("com.acme.Item")), false);
    }

    /**
     * Sixteen rounds of: each reader reads the three rows, then {@code save} changes one of them. Prices start at
     * {@code price}: each test writes values of its own, as the results of every observer meet in one shared table.
     */
    private void readAndWrite(int price, Observer save, Observer... readers) {
        save.writes(true); // as the background pass marks a method whose arguments never repeat
        Map<Long, Item> table = new HashMap<>();
        for (long id = 1; id <= 3; id++) {
            table.put(id, new Item(id, price));
        }
        for (int round = 0; round < 16; round++) {
            for (long id = 1; id <= 3; id++) {
                for (Observer r : readers) {
                    call(r, this, id, null, WORK_NANOS, a -> table.get((Long) a[0]));
                }
            }
            call(save, this, new Item(1 + round % 3, price + 1 + round), null, WORK_NANOS, a -> {
                table.put(((Item) a[0]).id(), (Item) a[0]);
                return a[0];
            });
        }
    }

    @Test
    void aReaderWhoseChangesComeFromAWriterIsProposedWithTheWriterAsItsWriteThrough() {
        Observer find = reader("find");
        readAndWrite(1_000, writer(), find);
        Verdict v = verdict(find);
        assertEquals(Verdict.Status.RECOMMENDED, v.status(), v::toString);
        assertNotNull(v.rule().writtenBy(), v::toString);
        assertEquals("save", v.rule().writtenBy().signature().methodName());
        assertEquals("{0.id}", v.rule().writtenBy().key());
        assertEquals("Repo.find", v.rule().writtenBy().cache());
        assertEquals("{0}", v.rule().key());
        assertEquals(java.time.Duration.ofMinutes(5), v.rule().ttl(), "its changes are written through: the default ttl");
    }

    @Test
    void aWriterOfTwoReadersWritesThroughForOneAndTheOtherKeepsATtl() {
        Observer find = reader("find");
        Observer again = reader("findAgain");
        Observer save = writer();
        readAndWrite(2_000, save, find, again);
        long now = System.nanoTime();
        Map<Observer, Figures> seen = new IdentityHashMap<>();
        seen.put(find, find.evidence().figures(now));
        seen.put(again, again.evidence().figures(now));
        seen.put(save, save.evidence().figures(now));
        List<Verdict> verdicts = Judge.judge(seen);
        List<Verdict> readers = verdicts.stream().filter(v -> v.signature().methodName().startsWith("find")).toList();
        assertEquals(2, readers.size());
        assertEquals(1, readers.stream().filter(v -> v.rule().writtenBy() != null).count(), "one region per writer: " + verdicts);
        assertTrue(readers.stream().noneMatch(v -> v.rule().writtenBy() != null && v.rule().writtenBy().signature().methodName().startsWith("find")),
                "a reader is nobody's writer: " + verdicts);
        Verdict other = readers.stream().filter(v -> v.rule().writtenBy() == null).findFirst().orElseThrow();
        assertEquals(Verdict.Status.RECOMMENDED, other.status(), other::toString);
        assertTrue(other.rule().ttl().compareTo(java.time.Duration.ofMinutes(5)) < 0, "a ttl from its changes: " + other);
    }

    /**
     * A write that returns nothing of what it wrote (a rename saved by dirty checking): the reader's next call sees a
     * changed result, and the method that ran in between with arguments never repeated is its eviction; a reader of
     * other data that ran meanwhile, with arguments it had before, is not.
     */
    @Test
    void aWriteThatRanBeforeAChangedResultIsTheReadersEviction() {
        Observer find = observer("findCustomer", 1);
        Observer other = observer("findProduct", 1);
        Observer rename = observer("rename", 2);
        for (Observer o : List.of(find, other, rename)) {
            WriteTrace.SHARED.add(o);
        }
        Map<Object, String> names = new HashMap<>(Map.of(1L, "Ada", 2L, "Alan", 3L, "Grace"));
        Function<Object[], Object> byId = a -> names.get(a[0]);
        for (int round = 0; round < 10; round++) {
            for (long id = 1; id <= 3; id++) {
                call(find, this, id, null, WORK_NANOS, byId);
            }
            call(other, this, 7L, null, WORK_NANOS, a -> "Go board");
        }
        call(rename, this, 1L, "Ada King", WORK_NANOS, a -> {
            names.put(a[0], (String) a[1]);
            return Boolean.TRUE; // not what it wrote: no write-through to trace
        });
        call(other, this, 7L, null, WORK_NANOS, a -> "Go board");
        call(find, this, 1L, null, WORK_NANOS, byId);

        Verdict v = verdict(find);
        assertEquals(Verdict.Status.RECOMMENDED, v.status(), v::toString);
        assertEquals(List.of(rename.signature()), v.rule().evictedBy(), v::toString);
        assertTrue(v.rule().ttlBasis().contains("evicted there"), v.rule().ttlBasis());
    }
}
