package dev.recall.agent.codec;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.URI;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Currency;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Stack;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Issue 25 "Copies are not the originals" and issue 24's JDK values: each case as the copier (a hit on a value held
 * by value) and the codec (a value read back from Redis) must give it, the caller unable to tell the copy from what
 * the method returned.
 */
class FaithfulCopyTest {

    private final ValueCodec codec = new ValueCodec(ClassAllowlist.of(List.of("dev.recall.agent.codec.**")));

    /** Both ways a cached value comes back: the in-memory copy and the Redis round trip. */
    private List<Function<Object, Object>> ways() {
        return List.of(v -> {
            try {
                return ValueCopier.copy(v);
            } catch (CodecException e) {
                throw new AssertionError("copy: " + e.getMessage(), e);
            }
        }, v -> {
            try {
                return codec.decode(codec.encode(v), getClass().getClassLoader());
            } catch (CodecException e) {
                throw new AssertionError("codec: " + e.getMessage(), e);
            }
        });
    }

    // ---- transient fields ----

    public static class Account {
        transient Object lock = new Object();
        transient int cachedHash = 17;
        transient List<String> recent = new ArrayList<>(List.of("a"));
        String name = "acme";

        int bump() {
            synchronized (lock) {
                return ++cachedHash;
            }
        }
    }

    @Test
    void transientFieldsKeepTheirValuesAndABareLockIsAFreshLock() {
        Account a = new Account();
        for (Function<Object, Object> way : ways()) {
            Account c = (Account) way.apply(a);
            assertNotNull(c.lock, "synchronized (lock) must not throw");
            assertNotSame(a.lock, c.lock, "a private lock, not the original's");
            assertEquals(18, c.bump());
            assertEquals(List.of("a"), c.recent);
            assertNotSame(a.recent, c.recent);
        }
    }

    // ---- identity of constants ----

    /** A typesafe enum: static final instances of a class that is not an enum, compared with ==. */
    public static final class Status {
        static final Status OPEN = new Status("open");
        static final Status CLOSED = new Status("closed");
        String label; // not final: the class is not immutable, so only its constancy can keep it shared

        private Status(String label) {
            this.label = label;
        }
    }

    public static class Ticket {
        Status status;
        String title;
    }

    public static class Item {
        static final Item NONE = new Item("-");
        String label;

        Item(String label) {
            this.label = label;
        }
    }

    /** A key without equals: a map keyed by it works only with the very constant. */
    public static class Slot {
        static final Slot MORNING = new Slot();
        static final Slot EVENING = new Slot();
        int booked;
    }

    @Test
    void constantsOfTheirOwnClassKeepTheirIdentity() {
        Ticket t = new Ticket();
        t.status = Status.OPEN;
        t.title = "x";
        List<Item> items = new ArrayList<>(List.of(new Item("a"), Item.NONE));
        Map<Slot, String> bySlot = new HashMap<>();
        bySlot.put(Slot.MORNING, "m");
        bySlot.put(Slot.EVENING, "e");
        for (Function<Object, Object> way : ways()) {
            assertSame(Status.OPEN, ((Ticket) way.apply(t)).status, "t.status == Status.OPEN");
            @SuppressWarnings("unchecked")
            List<Item> itemsBack = (List<Item>) way.apply(items);
            assertSame(Item.NONE, itemsBack.get(1), "a sentinel stays the sentinel");
            assertNotSame(items.get(0), itemsBack.get(0));
            @SuppressWarnings("unchecked")
            Map<Slot, String> slotsBack = (Map<Slot, String>) way.apply(bySlot);
            assertEquals("m", slotsBack.get(Slot.MORNING), "a constant key without equals is found");
            assertSame(Status.CLOSED, way.apply(Status.CLOSED));
        }
        assertTrue(ValueCopier.isImmutable(Status.OPEN), "a constant is handed out as the method hands it out");
    }

    /** Constants listed by an unmodifiable list; instances kept in a mutable registry are not constants. */
    public static final class Plan {
        static final Plan FREE = new Plan("free");
        static final Plan PRO = new Plan("pro");
        static final List<Plan> ALL = List.of(FREE, PRO);
        static final Map<String, Plan> REGISTRY = new ConcurrentHashMap<>();
        String name;

        Plan(String name) {
            this.name = name;
        }
    }

    @Test
    void aMutableRegistryOfInstancesIsNotAListOfConstants() throws CodecException {
        Plan custom = new Plan("custom");
        Plan.REGISTRY.put("custom", custom);
        assertNotSame(custom, ValueCopier.copy(custom), "a registered instance is copied: the registry changes");
        assertSame(Plan.PRO, ValueCopier.copy(Plan.PRO));
        assertSame(Plan.ALL.get(0), ((List<?>) ValueCopier.copy(new ArrayList<>(Plan.ALL))).get(0));
    }

    // ---- records ----

    public record Link(String name, List<Object> targets) {
    }

    @Test
    void aSelfReferencingRecordIsOneNodeOrRefused() {
        List<Object> targets = new ArrayList<>();
        Link self = new Link("me", targets);
        targets.add(self);
        try {
            Link c = (Link) ValueCopier.copy(self);
            assertSame(c, c.targets().get(0), "one node, not two");
        } catch (CodecException e) {
            assertTrue(e.getMessage().contains("cycle"), e.getMessage());
        }
        CodecException e = assertThrows(CodecException.class, () -> codec.encode(self));
        assertTrue(e.getMessage().contains("cycle"), e.getMessage());
    }

    public record Counted(String name, List<String> tags) {
        static int made;

        public Counted {
            made++;
        }
    }

    @Test
    void noApplicationConstructorRunsOnAHit() throws CodecException {
        Counted c = new Counted("n", new ArrayList<>(List.of("t")));
        int before = Counted.made;
        try {
            Counted copy = (Counted) ValueCopier.copy(c);
            assertEquals(c, copy);
        } catch (CodecException refused) {
            assertTrue(refused.getMessage().contains("constructor"), refused.getMessage());
        }
        assertThrows(CodecException.class, () -> codec.encode(c), "a payload that would run it on every read is not written");
        // Nor is one read that an older version wrote.
        byte[] older = Payload.header().tag(Tag.RECORD).newClass(Counted.class.getName(),
                TypeInfo.of(Counted.class).layout().fingerprint).tag(Tag.STRING).string("n").tag(Tag.NULL).bytes();
        CodecException read = assertThrows(CodecException.class, () -> codec.decode(older, getClass().getClassLoader()));
        assertTrue(read.getMessage().contains("application code"), read.getMessage());
        assertEquals(before, Counted.made, "the canonical constructor ran");
    }

    public record Tagged(String name, List<String> tags) {
        public Tagged {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("name " + name);
            }
        }
    }

    @Test
    void aRecordWhoseConstructorRunsOnlyJdkCodeIsStillCopied() throws CodecException {
        Tagged t = new Tagged("n", new ArrayList<>(List.of("a")));
        for (Function<Object, Object> way : ways()) {
            Tagged c = (Tagged) way.apply(t);
            assertEquals(t, c);
            assertNotSame(t.tags(), c.tags());
        }
    }

    public record Labelled(String label, List<String> items) {
        public Labelled {
            label = label + "#" + items.size();
        }
    }

    public record Doubled(int x, List<String> items) {
        public Doubled(int x, List<String> items) {
            this.x = x * 2;
            this.items = java.util.Objects.requireNonNull(items);
        }
    }

    /** Found by the blind hostile-shapes run: a constructor that changes a component changed it again on every hit. */
    @Test
    void aRecordWhoseConstructorChangesAComponentIsNeverRebuiltThroughIt() {
        Labelled l = new Labelled("L", new ArrayList<>(List.of("a")));
        Doubled d = new Doubled(2, new ArrayList<>(List.of("a")));
        for (Object original : List.of(l, d)) {
            CodecException copy = assertThrows(CodecException.class, () -> ValueCopier.copy(original));
            assertTrue(copy.getMessage().contains("changes its components"), copy.getMessage());
            assertThrows(CodecException.class, () -> codec.encode(original));
        }
        assertEquals("L#1", l.label(), "the original as built");
        assertEquals(4, d.x());
    }

    // ---- JDK collections ----

    @Test
    void aConcurrentHashMapStaysOne() {
        Map<String, List<String>> m = new ConcurrentHashMap<>();
        m.put("a", new ArrayList<>(List.of("x")));
        for (Function<Object, Object> way : ways()) {
            Object c = way.apply(m);
            assertInstanceOf(ConcurrentHashMap.class, c);
            assertEquals(m, c);
        }
    }

    @Test
    void propertiesKeepTheirDefaults() {
        Properties defaults = new Properties();
        defaults.setProperty("timeout", "30");
        Properties p = new Properties(defaults);
        p.setProperty("host", "db");
        for (Function<Object, Object> way : ways()) {
            Properties c = (Properties) way.apply(p);
            assertEquals("db", c.getProperty("host"));
            assertEquals("30", c.getProperty("timeout"), "a default");
            assertEquals(p.stringPropertyNames(), c.stringPropertyNames());
        }
    }

    @Test
    void aStackStaysAStack() {
        Stack<String> s = new Stack<>();
        s.push("bottom");
        s.push("top");
        for (Function<Object, Object> way : ways()) {
            @SuppressWarnings("unchecked")
            Stack<String> c = (Stack<String>) way.apply(s);
            assertEquals("top", c.pop());
        }
    }

    @Test
    void anAccessOrderLinkedHashMapKeepsAccessOrder() {
        LinkedHashMap<String, Integer> lru = new LinkedHashMap<>(16, 0.75f, true);
        lru.put("a", 1);
        lru.put("b", 2);
        lru.put("c", 3);
        lru.get("a");
        for (Function<Object, Object> way : ways()) {
            @SuppressWarnings("unchecked")
            LinkedHashMap<String, Integer> c = (LinkedHashMap<String, Integer>) way.apply(lru);
            assertEquals(List.of("b", "c", "a"), new ArrayList<>(c.keySet()));
            c.get("b");
            assertEquals(List.of("c", "a", "b"), new ArrayList<>(c.keySet()), "reads still reorder it");
        }
    }

    @Test
    void anUnmodifiableListOfBeansBehavesAsTheOriginal() {
        List<Item> list = Collections.unmodifiableList(new ArrayList<>(List.of(new Item("a"))));
        assertFalse(list.contains(null));
        for (Function<Object, Object> way : ways()) {
            @SuppressWarnings("unchecked")
            List<Item> c = (List<Item>) way.apply(list);
            assertEquals(list.getClass(), c.getClass());
            assertFalse(assertDoesNotThrow(() -> c.contains(null)));
            assertThrows(UnsupportedOperationException.class, () -> c.add(new Item("b")));
        }
        List<String> ofList = List.of("a");
        List<String> streamed = Stream.of("a", "b").toList();
        for (Function<Object, Object> way : ways()) {
            assertThrows(NullPointerException.class, () -> ((List<?>) way.apply(List.of(new Item("x")))).contains(null),
                    "List.of rejects null as the original does");
            assertFalse(((List<?>) way.apply(Stream.of(new Item("x")).toList())).contains(null), "Stream.toList accepts it");
            assertEquals(ofList, way.apply(ofList));
            assertEquals(streamed, way.apply(streamed));
        }
    }

    // ---- issue 24: JDK subclasses and value types ----

    /** A framework's unmodifiable list: an ArrayList subclass that adds no state. */
    public static final class FrameworkList<E> extends ArrayList<E> {
        static int constructed;

        FrameworkList(Collection<E> c) {
            super(c);
            constructed++;
        }

        @Override
        public boolean add(E e) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void aCollectionSubclassWithoutStateIsCopiedThroughItsPublicInterface() throws CodecException {
        FrameworkList<Item> list = new FrameworkList<>(List.of(new Item("a"), new Item("b")));
        int before = FrameworkList.constructed;
        Object c = ValueCopier.copy(list);
        assertEquals(FrameworkList.class, c.getClass());
        assertEquals(2, ((List<?>) c).size());
        assertEquals("b", ((Item) ((List<?>) c).get(1)).label);
        assertNotSame(list.get(0), ((List<?>) c).get(0));
        assertThrows(UnsupportedOperationException.class, () -> ((FrameworkList<Item>) c).add(new Item("c")));
        assertEquals(before, FrameworkList.constructed);
        Object back = assertDoesNotThrow(() -> codec.decode(codec.encode(list), getClass().getClassLoader()));
        assertEquals(2, ((List<?>) back).size());
    }

    @Test
    void immutableJdkValueTypesAreSharedAndRoundTrip() throws Exception {
        Object[] values = {Locale.CANADA_FRENCH, Locale.forLanguageTag("sr-Latn-RS"), Currency.getInstance("EUR"),
                URI.create("https://example.com/a?b#c"), new URL("https://example.com/x"), Path.of("/tmp/a b"),
                InetAddress.getByAddress("db.local", new byte[] {10, 0, 0, 1}), InetAddress.getByAddress(new byte[16])};
        for (Object v : values) {
            assertTrue(ValueCopier.isImmutable(v), v.getClass().getName());
            assertSame(v, ValueCopier.copy(v));
            assertEquals(v, codec.decode(codec.encode(v), getClass().getClassLoader()), v.toString());
        }
        InetAddress named = (InetAddress) codec.decode(codec.encode(values[6]), getClass().getClassLoader());
        assertEquals("db.local/10.0.0.1", named.toString(), "its host name kept, no lookup");
    }

    @Test
    void aRecordOfValueTypesIsShared() {
        record Place(Locale locale, URI site) {
        }
        Place p = new Place(Locale.GERMANY, URI.create("https://x"));
        assertTrue(ValueCopier.isImmutable(p));
        assertNull(null);
    }
}
