package dev.recall.agent.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ValueCopierTest {

    /** A JPA-style entity: mutable, with a back-reference from its children. */
    public static class Owner {
        Integer id;
        String firstName;
        String lastName;
        String city;
        String telephone;
        List<Pet> pets = new ArrayList<>();
    }

    public static class Pet {
        String name;
        Owner owner;
    }

    public record Point(int x, int y) {
    }

    public record Named(String name, List<String> tags) {
    }

    public static final class Money {
        private final BigDecimal amount;
        private final String currency;

        Money(BigDecimal amount, String currency) {
            this.amount = amount;
            this.currency = currency;
        }
    }

    @Test
    void valueTypesRecordsOfValuesAndUnmodifiableCollectionsOfValuesAreImmutable() {
        for (Object v : new Object[] {"s", 1, 2L, BigDecimal.ONE, UUID.randomUUID(), Instant.now(), Thread.State.NEW,
                new Point(1, 2), new Money(BigDecimal.TEN, "EUR"), List.of(1, 2), Map.of("a", new Point(0, 0)),
                Optional.of("x"), new Named("n", List.of("a"))}) {
            assertTrue(ValueCopier.isImmutable(v), v.getClass().getName());
        }
    }

    /**
     * HostileShapesIT S25b: a method that returns a shared marker object got a copy back on a hit, and {@code ==}
     * with the marker failed. A result that is a bare object has no state to keep apart: it is shared.
     */
    @Test
    void aBareObjectResultHasNoStateAndIsShared() {
        assertTrue(ValueCopier.isImmutable(new Object()));
    }

    @Test
    void mutableThingsAreNot() {
        for (Object v : new Object[] {new ArrayList<>(), new HashMap<>(), new Date(), new int[1], new Owner(),
                List.of(new ArrayList<>()), new Named("n", new ArrayList<>()), Optional.of(new Owner())}) {
            assertFalse(ValueCopier.isImmutable(v), v.getClass().getName());
        }
    }

    @Test
    void aCopyOfAnEntityGraphIsDeepAndKeepsItsCycles() throws Exception {
        Owner o = new Owner();
        o.id = 1;
        o.firstName = "George";
        o.lastName = "Franklin";
        Pet leo = new Pet();
        leo.name = "Leo";
        leo.owner = o;
        o.pets.add(leo);
        Owner c = (Owner) ValueCopier.copy(o);
        assertNotSame(o, c);
        assertEquals("George", c.firstName);
        assertNotSame(o.pets, c.pets);
        assertNotSame(leo, c.pets.get(0));
        assertSame(c, c.pets.get(0).owner, "the back-reference points at the copy, not the original");
        c.firstName = "changed by a form";
        c.pets.clear();
        assertEquals("George", o.firstName);
        assertEquals(1, o.pets.size());
    }

    @Test
    void collectionsArraysAndDatesAreCopiedAndImmutablePartsShared() throws Exception {
        Map<String, List<Integer>> m = new HashMap<>();
        m.put("a", new ArrayList<>(List.of(1, 2)));
        @SuppressWarnings("unchecked")
        Map<String, List<Integer>> c = (Map<String, List<Integer>>) ValueCopier.copy(m);
        c.get("a").add(3);
        assertEquals(List.of(1, 2), m.get("a"));
        int[] a = {1, 2};
        int[] ac = (int[]) ValueCopier.copy(a);
        ac[0] = 9;
        assertEquals(1, a[0]);
        Date d = new Date(5);
        Date dc = (Date) ValueCopier.copy(d);
        dc.setTime(6);
        assertEquals(5, d.getTime());
        String s = "shared";
        assertSame(s, ValueCopier.copy(s));
        Named n = new Named("n", new ArrayList<>(List.of("x")));
        Named nc = (Named) ValueCopier.copy(n);
        nc.tags().add("y");
        assertEquals(List.of("x"), n.tags());
    }

    public static class Base {
        private long version = 7;
        private final String createdBy = "base";
    }

    public static class Derived extends Base {
        private int count = 3;
        private final List<String> tags = new ArrayList<>(List.of("a"));
        private String name = "n";
    }

    @Test
    void privateAndFinalFieldsOfEveryClassOfTheHierarchyAreCopied() throws Exception {
        Derived d = new Derived();
        Derived c = (Derived) ValueCopier.copy(d);
        assertEquals(7, ((Base) c).version);
        assertEquals("base", ((Base) c).createdBy);
        assertEquals(3, c.count);
        assertEquals("n", c.name);
        assertEquals(List.of("a"), c.tags);
        assertNotSame(d.tags, c.tags);
        for (int i = 0; i < 3; i++) {
            assertEquals(d.count, ((Derived) ValueCopier.copy(d)).count, "the generated copy, once warm");
        }
    }

    /** A flat entity of plain fields, with a constructor that must never run for a copy. */
    public static class Flat {
        static int constructed;
        private long id;
        private String name;
        private int count;
        private double price;
        private Instant at;
        private boolean active;

        Flat() {
            constructed++;
        }
    }

    @Test
    void aFlatEntityIsCopiedInOneGeneratedStepWithoutRunningItsConstructor() throws Exception {
        Flat f = new Flat();
        f.id = 42;
        f.name = "bob";
        f.count = 3;
        f.price = 9.5;
        f.at = Instant.parse("2026-12-06T10:00:00Z");
        f.active = true;
        int before = Flat.constructed;
        assertTrue(FieldCopiers.of(Flat.class).whole() != null, "the allocation and every move in one generated method");
        for (int i = 0; i < 3; i++) {
            Flat c = (Flat) ValueCopier.copy(f);
            assertNotSame(f, c);
            assertEquals(42, c.id);
            assertEquals("bob", c.name);
            assertEquals(3, c.count);
            assertEquals(9.5, c.price);
            assertSame(f.at, c.at, "an immutable JDK value is shared");
            assertTrue(c.active);
        }
        assertEquals(before, Flat.constructed, "no constructor of the application's ran");
    }

    @Test
    void aSortedCollectionKeepsItsComparatorInMemory() throws Exception {
        TreeSet<String> set = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        set.add("b");
        set.add("A");
        @SuppressWarnings("unchecked")
        TreeSet<String> c = (TreeSet<String>) ValueCopier.copy(set);
        assertSame(String.CASE_INSENSITIVE_ORDER, c.comparator(), "shared, as TreeSet.clone shares it");
        assertTrue(c.contains("a"));
    }

    @Test
    void whatCannotBeCopiedIsRefusedWithAReason() {
        CodecException view = assertThrows(CodecException.class,
                () -> ValueCopier.copy(new HashMap<>(Map.of(1, 2)).keySet()));
        assertTrue(view.getMessage().contains("view"), view.getMessage());
        CodecException thread = assertThrows(CodecException.class, () -> ValueCopier.copy(Thread.currentThread()));
        assertTrue(thread.getMessage().contains("thread"), thread.getMessage());
    }
}
