package dev.recall.agent.store.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class RemoteKeysTest {

    private static final String PREFIX = "recall:";
    /** 128 bits in base64url without padding: 22 characters, never ':' nor '#'. */
    private static final Pattern ENTRY = Pattern.compile(Pattern.quote(PREFIX) + "products:[A-Za-z0-9_-]{22}");

    private final RemoteKeys keys = new RemoteKeys(PREFIX, null);

    @Test
    void anEntryIsNamedByPrefixRegionAndAHashOnly() {
        String argument = "alice@example.com,4111111111111111,".repeat(20);
        for (String rendered : new String[] {"5", "", argument}) {
            String name = keys.entryRendered("products", 0, rendered);
            assertTrue(ENTRY.matcher(name).matches(), "no part of the argument, however long, in the name: " + name);
        }
    }

    @Test
    void namesAreTheSameInEveryJvmAndVersion() {
        // Computed outside Java: SHA-256 over "<generation>\n<rendered>" in UTF-8, first 16 bytes, base64url.
        // Another JVM, another default charset, or a new agent version reading a running one's entries must
        // name them exactly so.
        assertEquals("recall:products:qvu47UGVvlVZQa6Ln5r_ng", keys.entryRendered("products", 0, "5"));
        assertEquals("recall:products:d1l1NmFFTt4zZajg8I2ubQ", keys.entryRendered("products", 0, "alice@example.com"));
        assertEquals("app2:baskets:7gFGApvKUwsP8_uP1uzKAg", new RemoteKeys("app2:", null).entryRendered("baskets", 7, "Zoë,€12"));
    }

    @Test
    void equalKeysGetEqualNamesFromAnyInstanceAndThread() throws Exception {
        String here = keys.entryRendered("products", 3, "42");
        keys.entryRendered("products", 3, "something else in between");
        assertEquals(here, keys.entryRendered("products", 3, "42"));
        assertEquals(here, new RemoteKeys(PREFIX, null).entryRendered("products", 3, "42"));
        assertEquals(here, CompletableFuture.supplyAsync(() -> new RemoteKeys(PREFIX, null).entryRendered("products", 3, "42")).get());
    }

    @Test
    void differentKeysGetDifferentNames() {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            names.add(keys.entryRendered("products", 0, Integer.toString(i)));
        }
        assertEquals(10_000, names.size());
        assertNotEquals(keys.entryRendered("products", 0, "a"), keys.entryRendered("products", 0, "A"));
        assertNotEquals(keys.entryRendered("products", 0, "1"), keys.entryRendered("products", 0, "1 "));
    }

    @Test
    void theSameKeyInAnotherRegionOrApplicationIsAnotherEntry() {
        String products = keys.entryRendered("products", 0, "5");
        String baskets = keys.entryRendered("baskets", 0, "5");
        String otherApp = new RemoteKeys("shop:", null).entryRendered("products", 0, "5");
        assertNotEquals(products, baskets);
        assertTrue(baskets.startsWith("recall:baskets:"), baskets);
        assertNotEquals(products, otherApp);
        assertTrue(otherApp.startsWith("shop:products:"), otherApp);
    }

    @Test
    void aNewGenerationNamesEveryKeyAnew() {
        assertNotEquals(keys.entryRendered("products", 0, "5"), keys.entryRendered("products", 1, "5"));
        // The separator keeps the generation's digits from running into the key's.
        assertNotEquals(keys.entryRendered("products", 1, "23"), keys.entryRendered("products", 12, "3"));
    }

    @Test
    void locksGenerationsAndTheChannelNeverNameAnEntry() {
        String entry = keys.entryRendered("products", 0, "5");
        String lock = keys.lock(entry);
        String generation = keys.generation("products");
        assertNotEquals(lock, keys.lock(keys.entryRendered("products", 0, "6")), "one lock per entry");
        for (String name : new String[] {lock, generation, keys.channel()}) {
            assertTrue(name.startsWith(PREFIX), name);
            assertFalse(ENTRY.matcher(name).matches(), name);
            assertTrue(name.contains("#"), "'#' is what no entry name holds: " + name);
        }
        assertEquals(4, new HashSet<>(List.of(lock, generation, keys.channel(), entry)).size());
        assertNotEquals(keys.generation("products"), keys.generation("baskets"));
    }

    @Test
    void withASecretNamesAreAnHmacOfItThatNoOneWithoutItCanCompute() {
        // Computed outside Java: HMAC-SHA256 keyed "recall key names\n" + secret, over "0\n5", first 16 bytes.
        RemoteKeys keyed = new RemoteKeys(PREFIX, "s3cret");
        assertEquals("recall:products:RPI2l-q7mTbUAqzVdDD0hA", keyed.entryRendered("products", 0, "5"));
        assertNotEquals(keys.entryRendered("products", 0, "5"), keyed.entryRendered("products", 0, "5"));
        assertNotEquals(keyed.entryRendered("products", 0, "5"), new RemoteKeys(PREFIX, "other").entryRendered("products", 0, "5"));
    }

    /**
     * The attack the issue measured: the name of a card number's entry, and a million candidates tried
     * the way the names are made. Without the secret (unkeyed, or under a wrong secret) none matches; with
     * it, the right one does, which shows that the search itself would have found it.
     */
    @Test
    void aCardNumberCannotBeRecoveredFromItsKeyNameWithoutTheSecret() {
        RemoteKeys agent = new RemoteKeys(PREFIX, "the application's secret");
        String card = "4111111111" + "654321";
        String leaked = agent.entryRendered("cards", 0, card);
        RemoteKeys unkeyed = new RemoteKeys(PREFIX, null);
        RemoteKeys guessed = new RemoteKeys(PREFIX, "secret");
        String unkeyedName = unkeyed.entryRendered("cards", 0, card); // what wave 1 wrote
        int found = 0;
        int foundUnkeyed = 0;
        for (int i = 0; i < 1_000_000; i++) {
            String candidate = "4111111111" + String.format("%06d", i);
            String plain = unkeyed.entryRendered("cards", 0, candidate);
            if (leaked.equals(plain) || leaked.equals(guessed.entryRendered("cards", 0, candidate))) {
                found++;
            }
            if (unkeyedName.equals(plain)) {
                foundUnkeyed++;
            }
        }
        assertEquals(0, found, "the keyed name gives nothing away");
        assertEquals(1, foundUnkeyed, "the same search recovers the number from an unkeyed name");
        assertEquals(leaked, new RemoteKeys(PREFIX, "the application's secret").entryRendered("cards", 0, card));
    }
}
