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
            String name = keys.entry("products", 0, rendered);
            assertTrue(ENTRY.matcher(name).matches(), "no part of the argument, however long, in the name: " + name);
        }
    }

    @Test
    void namesAreTheSameInEveryJvmAndVersion() {
        // Computed outside Java: SHA-256 over "<generation>\n" in UTF-8, then the key's bytes (version 1, '1' for a
        // single value, 's', the string's length as a varint, its UTF-16BE units), first 16 bytes, base64url.
        // Another JVM, another default charset, or a new agent version reading a running one's entries must
        // name them exactly so.
        assertEquals("recall:products:EjgFV1aM-n_aTw-VlMblbg", keys.entry("products", 0, "5"));
        assertEquals("recall:products:WGipCRECPyKwOdx49LGI6g", keys.entry("products", 0, "alice@example.com"));
        assertEquals("app2:baskets:M8UehRujhnFPS7oWFMOn_w", new RemoteKeys("app2:", null).entry("baskets", 7, "Zoë,€12"));
    }

    @Test
    void equalKeysGetEqualNamesFromAnyInstanceAndThread() throws Exception {
        String here = keys.entry("products", 3, "42");
        keys.entry("products", 3, "something else in between");
        assertEquals(here, keys.entry("products", 3, "42"));
        assertEquals(here, new RemoteKeys(PREFIX, null).entry("products", 3, "42"));
        assertEquals(here, CompletableFuture.supplyAsync(() -> new RemoteKeys(PREFIX, null).entry("products", 3, "42")).get());
    }

    @Test
    void differentKeysGetDifferentNames() {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            names.add(keys.entry("products", 0, Integer.toString(i)));
        }
        assertEquals(10_000, names.size());
        assertNotEquals(keys.entry("products", 0, "a"), keys.entry("products", 0, "A"));
        assertNotEquals(keys.entry("products", 0, "1"), keys.entry("products", 0, "1 "));
    }

    /** Keys that are not equal in the JVM never share a name in Redis (issue 25: rendered names did). */
    @Test
    void keysThatDifferNeverShareAName() throws Exception {
        java.util.function.BiFunction<String, Object[], Object> key = (template, args) -> {
            try {
                java.util.List<String> names = new java.util.ArrayList<>();
                for (int i = 0; i < args.length; i++) {
                    names.add("p" + i);
                }
                dev.recall.agent.key.KeyFunction f = dev.recall.agent.key.KeyTemplate.compile(template, names, null).function();
                return args.length == 1 ? f.key(null, args[0], null, null) : f.key(null, args[0], args[1], null);
            } catch (dev.recall.agent.key.TemplateException e) {
                throw new AssertionError(e);
            }
        };
        Object[][] pairs = {
            {key.apply("{p0}:{p1}", new Object[] {"x:y", "z"}), key.apply("{p0}:{p1}", new Object[] {"x", "y:z"})},
            {key.apply("user:{0}", new Object[] {null}), key.apply("user:{0}", new Object[] {"null"})},
            {key.apply("t:{0}", new Object[] {new java.util.Date(1500)}), key.apply("t:{0}", new Object[] {new java.util.Date(1000)})},
            {key.apply("v:{0}", new Object[] {5}), key.apply("v:{0}", new Object[] {5L})},
            {key.apply("", new Object[] {"a,b", "c"}), key.apply("", new Object[] {"a", "b,c"})},
            {key.apply("{0}", new Object[] {null}), key.apply("{0}", new Object[] {"null"})},
            {key.apply("{0}", new Object[] {new java.util.Date(1500)}), key.apply("{0}", new Object[] {new java.util.Date(1000)})},
        };
        for (Object[] p : pairs) {
            assertNotEquals(p[0], p[1]);
            assertNotEquals(keys.entry("products", 0, p[0]), keys.entry("products", 0, p[1]), p[0] + " against " + p[1]);
            assertEquals(keys.entry("products", 0, p[0]), new RemoteKeys(PREFIX, null).entry("products", 0, p[0]));
        }
    }

    @Test
    void theSameKeyInAnotherRegionOrApplicationIsAnotherEntry() {
        String products = keys.entry("products", 0, "5");
        String baskets = keys.entry("baskets", 0, "5");
        String otherApp = new RemoteKeys("shop:", null).entry("products", 0, "5");
        assertNotEquals(products, baskets);
        assertTrue(baskets.startsWith("recall:baskets:"), baskets);
        assertNotEquals(products, otherApp);
        assertTrue(otherApp.startsWith("shop:products:"), otherApp);
    }

    @Test
    void aNewGenerationNamesEveryKeyAnew() {
        assertNotEquals(keys.entry("products", 0, "5"), keys.entry("products", 1, "5"));
        // The separator keeps the generation's digits from running into the key's.
        assertNotEquals(keys.entry("products", 1, "23"), keys.entry("products", 12, "3"));
    }

    @Test
    void locksGenerationsAndTheChannelNeverNameAnEntry() {
        String entry = keys.entry("products", 0, "5");
        String lock = keys.lock(entry);
        String generation = keys.generation("products");
        assertNotEquals(lock, keys.lock(keys.entry("products", 0, "6")), "one lock per entry");
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
        // Computed outside Java: HMAC-SHA256 keyed "recall key names\n" + secret, over "0\n" and the key's bytes, first 16 bytes.
        RemoteKeys keyed = new RemoteKeys(PREFIX, "s3cret");
        assertEquals("recall:products:iIbH6h65x-NDXTvthd69_g", keyed.entry("products", 0, "5"));
        assertNotEquals(keys.entry("products", 0, "5"), keyed.entry("products", 0, "5"));
        assertNotEquals(keyed.entry("products", 0, "5"), new RemoteKeys(PREFIX, "other").entry("products", 0, "5"));
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
        String leaked = agent.entry("cards", 0, card);
        RemoteKeys unkeyed = new RemoteKeys(PREFIX, null);
        RemoteKeys guessed = new RemoteKeys(PREFIX, "secret");
        String unkeyedName = unkeyed.entry("cards", 0, card); // what wave 1 wrote
        int found = 0;
        int foundUnkeyed = 0;
        for (int i = 0; i < 1_000_000; i++) {
            String candidate = "4111111111" + String.format("%06d", i);
            String plain = unkeyed.entry("cards", 0, candidate);
            if (leaked.equals(plain) || leaked.equals(guessed.entry("cards", 0, candidate))) {
                found++;
            }
            if (unkeyedName.equals(plain)) {
                foundUnkeyed++;
            }
        }
        assertEquals(0, found, "the keyed name gives nothing away");
        assertEquals(1, foundUnkeyed, "the same search recovers the number from an unkeyed name");
        assertEquals(leaked, new RemoteKeys(PREFIX, "the application's secret").entry("cards", 0, card));
    }

    // ---- the names remembered ----

    @Test
    void aRememberedNameIsTheNameTheHashGives() {
        RemoteKeys keyed = new RemoteKeys(PREFIX, "a-secret-long-enough-to-sign-with");
        RemoteKeys fresh = new RemoteKeys(PREFIX, "a-secret-long-enough-to-sign-with");
        int n = RemoteKeys.NAMES * 2;
        String[] first = new String[n];
        for (int i = 0; i < n; i++) {
            first[i] = keyed.entry("products", 0, (long) i);
        }
        for (int i = n - 1; i >= 0; i--) {
            assertEquals(first[i], fresh.entry("products", 0, (long) i), "another instance, names in another order");
        }
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < n; i++) {
                assertEquals(first[i], keyed.entry("products", 0, (long) i), "asked again (from memory, where remembered)");
            }
        }
    }

    @Test
    void aRememberedNameIsNeverGivenToAnotherRegionGenerationSecretOrKey() {
        RemoteKeys keyed = new RemoteKeys(PREFIX, "a-secret-long-enough-to-sign-with");
        RemoteKeys other = new RemoteKeys(PREFIX, "another-secret-long-enough-to-sign");
        String name = keyed.entry("products", 0, 42L);
        assertEquals(name, keyed.entry("products", 0, 42L));
        assertNotEquals(name, keyed.entry("products", 1, 42L), "a new generation renames every key");
        assertTrue(keyed.entry("orders", 0, 42L).startsWith(PREFIX + "orders:"), "another region, its own name");
        assertNotEquals(name, keyed.entry("products", 0, 43L));
        assertNotEquals(name, keyed.entry("products", 0, 42));
        assertNotEquals(name, other.entry("products", 0, 42L), "another secret, another name");
        assertEquals(name, keyed.entry("products", 0, 42L), "and the first is still given to its own key");
    }

    @Test
    void keysReadInTurnWellUnderTheBoundAreNearlyAllRemembered() {
        // A quarter of the bound, read in turn as a benchmark or a page of ids does: with one slot per key, two keys of a
        // slot pushed each other out on every call (about one in five of these was hashed again on every read).
        RemoteKeys keyed = new RemoteKeys(PREFIX, "a-secret-long-enough-to-sign-with");
        int n = RemoteKeys.NAMES / 4;
        String[] first = new String[n];
        for (int i = 0; i < n; i++) {
            first[i] = keyed.entry("products", 0, 1_000L + i);
        }
        int remembered = 0;
        for (int round = 0; round < 3; round++) {
            remembered = 0;
            for (int i = 0; i < n; i++) {
                String again = keyed.entry("products", 0, 1_000L + i);
                assertEquals(first[i], again);
                remembered += again == first[i] ? 1 : 0; // the very String remembered: not hashed again
            }
        }
        assertTrue(remembered >= n * 99 / 100, remembered + " of " + n + " names remembered");
    }

    @Test
    void aLongKeyIsNamedRightThoughNotRemembered() {
        String longKey = "x".repeat(RemoteKeys.MAX_KEY_BYTES * 2);
        String name = keys.entry("products", 0, longKey);
        assertEquals(name, keys.entry("products", 0, longKey));
        assertEquals(name, new RemoteKeys(PREFIX, null).entry("products", 0, longKey));
    }
}
