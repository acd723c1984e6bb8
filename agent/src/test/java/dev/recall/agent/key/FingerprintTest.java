package dev.recall.agent.key;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FingerprintTest {

    static final class Owner {
        String name;
        int visits;
        final List<String> pets = new ArrayList<>();
        Owner self;

        Owner(String name) {
            this.name = name;
            this.self = this;
        }
    }

    /** Like Spring's ModelMap: the state is in the JDK superclass, whose fields cannot be read. */
    static final class Model extends LinkedHashMap<String, Object> {
    }

    /** Like a lazy JPA collection: iterating it would run a query (here: fail). */
    static final class Lazy extends AbstractList<String> {
        List<String> loaded;

        @Override
        public String get(int index) {
            throw new AssertionError("a fingerprint must not initialize a lazy collection");
        }

        @Override
        public int size() {
            throw new AssertionError("a fingerprint must not initialize a lazy collection");
        }
    }

    @Test
    void equalStatesHaveEqualFingerprintsAndChangesShow() {
        Owner a = new Owner("ada");
        Owner b = new Owner("ada");
        assertEquals(Fingerprint.of(a), Fingerprint.of(b), "state, not identity");
        long before = Fingerprint.of(a);
        a.visits++;
        assertNotEquals(before, Fingerprint.of(a));
        long afterVisit = Fingerprint.of(a);
        a.pets.add("rex");
        assertNotEquals(afterVisit, Fingerprint.of(a), "an element added to a field's list");
        a.name = "bob";
        assertNotEquals(Fingerprint.of(b), Fingerprint.of(a));
    }

    @Test
    void aMapFilledThroughASubclassOfAJdkMapShows() {
        Model model = new Model();
        long empty = Fingerprint.of(model);
        model.put("owner", new Owner("ada"));
        assertNotEquals(empty, Fingerprint.of(model));
    }

    @Test
    void mapsAndSetsAreComparedWhateverTheirIterationOrder() {
        Map<Integer, String> small = new HashMap<>();
        Map<Integer, String> grown = new HashMap<>(2);
        Set<Integer> s1 = new HashSet<>();
        Set<Integer> s2 = new HashSet<>(2);
        for (int i = 0; i < 100; i++) {
            small.put(i, "v" + i);
            s1.add(i);
        }
        for (int i = 99; i >= 0; i--) {
            grown.put(i, "v" + i);
            s2.add(i);
        }
        assertEquals(Fingerprint.of(small), Fingerprint.of(grown));
        assertEquals(Fingerprint.of(s1), Fingerprint.of(s2));
        assertNotEquals(Fingerprint.of(List.of(1, 2)), Fingerprint.of(List.of(2, 1)), "lists keep their order");
    }

    @Test
    void aLazyCollectionIsReadThroughItsFieldsNeverIterated() {
        Lazy lazy = new Lazy();
        long before = Fingerprint.of(lazy);
        lazy.loaded = new ArrayList<>(List.of("x"));
        assertNotEquals(before, Fingerprint.of(lazy));
    }

    @Test
    void commonJdkHoldersShowTheirState() {
        StringBuilder sb = new StringBuilder("a");
        long before = Fingerprint.of(sb);
        sb.append('b');
        assertNotEquals(before, Fingerprint.of(sb));
        int[] numbers = {1, 2};
        long n = Fingerprint.of(numbers);
        numbers[1] = 3;
        assertNotEquals(n, Fingerprint.of(numbers));
    }

    @Test
    void deepAndCyclicGraphsEnd() {
        Owner o = new Owner("cycle");
        Object[] chain = new Object[1];
        Object[] head = chain;
        for (int i = 0; i < 100_000; i++) {
            Object[] next = new Object[1];
            chain[0] = next;
            chain = next;
        }
        Fingerprint.of(o);
        Fingerprint.of(head);
    }

    /** A node that holds the next one through an AtomicReference, as drivers and pools do. */
    static final class Held {
        final java.util.concurrent.atomic.AtomicReference<Object> next = new java.util.concurrent.atomic.AtomicReference<>();
        int value;
    }

    @Test
    void aCycleThroughAnAtomicReferenceEndsAndItsStateStillShows() {
        Held a = new Held();
        Held b = new Held();
        a.next.set(b);
        b.next.set(a); // an H2 connection's graph has such cycles; each reference once walked anew overflowed the stack
        long before = Fingerprint.of(a);
        assertEquals(before, Fingerprint.of(a));
        b.value = 7;
        assertNotEquals(before, Fingerprint.of(a));
        java.util.Optional<Held> optional = java.util.Optional.of(a);
        long o = Fingerprint.of(optional);
        a.value = 1;
        assertNotEquals(o, Fingerprint.of(optional));
    }

    /** Like an entity Hibernate's bytecode enhancement has been at: its tracker is the session's, not its state. */
    static final class Enhanced {
        String name;
        org.hibernate.collection.spi.PersistentBag<String> books;
        Object $$_hibernate_tracker;
    }

    /** The same row as a session reads it: a session's tracker, and a bag owned by this entity with a snapshot. */
    private static Enhanced read(String name, List<String> books, Object session) {
        Enhanced e = new Enhanced();
        e.name = name;
        e.$$_hibernate_tracker = new Object[] {session};
        if (books == null) {
            e.books = new org.hibernate.collection.spi.PersistentBag<>(); // lazy: not initialized, no elements
        } else {
            e.books = new org.hibernate.collection.spi.PersistentBag<>(null, new ArrayList<>(books));
            e.books.setSnapshot(session, "Author.books", new ArrayList<>(books));
        }
        e.books.setOwner(e);
        return e;
    }

    @Test
    void aJpaProvidersSessionBookkeepingIsNotTheEntitysState() {
        // The same row read in two sessions: equal.
        assertEquals(Fingerprint.of(read("Ursula", List.of("Earthsea"), new Object())),
                Fingerprint.of(read("Ursula", List.of("Earthsea"), new Object())));
        assertEquals(Fingerprint.of(read("Ursula", null, new Object())), Fingerprint.of(read("Ursula", null, new Object())));
        // What the entity holds still counts: its fields, and the elements of a loaded collection.
        assertNotEquals(Fingerprint.of(read("Ursula", List.of("Earthsea"), "s")), Fingerprint.of(read("Terry", List.of("Earthsea"), "s")));
        assertNotEquals(Fingerprint.of(read("Ursula", List.of("Earthsea"), "s")),
                Fingerprint.of(read("Ursula", List.of("Earthsea", "Hain"), "s")));
    }
}
