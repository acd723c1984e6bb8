package dev.recall.agent.store.remote;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The envelope, byte by byte. That a refused value is never deserialized, and that the agent's MAC is
 * the documented HMAC, RedisStoreIT shows against a real server and a real application.
 */
class EntrySealTest {

    private static final String SECRET = "a-secret-long-enough-to-sign-with";
    private static final byte[] KEY = bytes("recall:products:qvu47UGVvlVZQa6Ln5r_ng");
    private static final byte[] OTHER_KEY = bytes("recall:products:d1l1NmFFTt4zZajg8I2ubQ");
    private static final byte[] PAYLOAD = bytes("the encoded value");
    private static final long LOAD_NANOS = 12_345_678L;
    private static final long EXPIRES_AT = 1_700_000_000_000L;
    private static final long WRITTEN_AT = 1_699_999_000_000L;

    /** 'R', version, flags, nonce: where the ciphertext starts in an encrypted value. */
    private static final int SIGNED_BODY = 3 + 12;
    private static final String NOT_OURS = "not a value written by Recall";
    private static final String TAMPERED = "does not authenticate";

    private final EntrySeal signed = new EntrySeal(SECRET);
    private final EntrySeal unsigned = new EntrySeal(null);

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private byte[] sealed() {
        return signed.seal(KEY, LOAD_NANOS, WRITTEN_AT, EXPIRES_AT, PAYLOAD);
    }

    private static String rejection(EntrySeal seal, byte[] key, byte[] value) {
        return assertThrows(EntrySeal.Rejected.class, () -> seal.open(key, value)).getMessage();
    }

    private static void assertRejected(String expected, EntrySeal seal, byte[] key, byte[] value) {
        String why = rejection(seal, key, value);
        assertTrue(why.contains(expected), "rejected as '" + expected + "', but: " + why);
    }

    @Test
    void aSignedValueOpensToWhatWasSealed() throws Exception {
        EntrySeal.Opened opened = signed.open(KEY, sealed());
        assertEquals(LOAD_NANOS, opened.loadNanos());
        assertEquals(EXPIRES_AT, opened.expiresAtMillis());
        assertEquals(WRITTEN_AT, opened.writtenAtMillis());
        assertEquals(EXPIRES_AT, opened.freshUntilMillis(), "fresh until it expires, when no stale window is given");
        assertArrayEquals(PAYLOAD, opened.payload());
    }

    @Test
    void aStaleWindowRoundTrips() throws Exception {
        EntrySeal.Opened opened = signed.open(KEY, signed.seal(KEY, LOAD_NANOS, WRITTEN_AT, EXPIRES_AT - 5_000, EXPIRES_AT, PAYLOAD));
        assertEquals(EXPIRES_AT - 5_000, opened.freshUntilMillis());
        assertEquals(EXPIRES_AT, opened.expiresAtMillis());
    }

    @Test
    void anEmptyPayloadRoundTrips() throws Exception {
        EntrySeal.Opened opened = signed.open(KEY, signed.seal(KEY, 0, WRITTEN_AT, EXPIRES_AT, new byte[0]));
        assertEquals(0, opened.payload().length);
    }

    @Test
    void withoutASecretValuesRoundTripUnsigned() throws Exception {
        byte[] value = unsigned.seal(KEY, LOAD_NANOS, WRITTEN_AT, EXPIRES_AT, PAYLOAD);
        assertEquals(3 + 32 + PAYLOAD.length, value.length, "no room taken by a nonce or a tag");
        EntrySeal.Opened opened = unsigned.open(KEY, value);
        assertEquals(LOAD_NANOS, opened.loadNanos());
        assertEquals(EXPIRES_AT, opened.expiresAtMillis());
        assertEquals(WRITTEN_AT, opened.writtenAtMillis());
        assertArrayEquals(PAYLOAD, opened.payload());
    }

    @Test
    void anotherAgentWithTheSameSecretOpensItOnAnyThread() throws Exception {
        byte[] value = sealed();
        EntrySeal elsewhere = new EntrySeal(SECRET);
        byte[] payload = CompletableFuture.supplyAsync(() -> {
            try {
                return elsewhere.open(KEY, value).payload();
            } catch (EntrySeal.Rejected e) {
                throw new AssertionError(e.getMessage());
            }
        }).get();
        assertArrayEquals(PAYLOAD, payload);
        assertFalse(Arrays.equals(value, elsewhere.seal(KEY, LOAD_NANOS, WRITTEN_AT, EXPIRES_AT, PAYLOAD)),
                "a random nonce: the same value never seals to the same bytes (equal results stay unlinkable)");
    }

    @Test
    void oneSealLeavesNothingBehindForTheNext() throws Exception {
        byte[] first = sealed();
        signed.seal(OTHER_KEY, 1, 2, 3, bytes("something else"));
        assertRejected(TAMPERED, signed, OTHER_KEY, first);
        assertArrayEquals(PAYLOAD, signed.open(KEY, sealed()).payload());
        assertArrayEquals(PAYLOAD, signed.open(KEY, first).payload());
    }

    @Test
    void everyByteChangedIsRefused() {
        byte[] genuine = sealed();
        for (int i = 0; i < genuine.length; i++) {
            byte[] changed = genuine.clone();
            changed[i] ^= 0x01;
            String why = rejection(signed, KEY, changed);
            String expected = i == 0 ? NOT_OURS
                    : i == 1 ? "another version of the agent"
                    : i == 2 ? "not encrypted, but this agent has a secret"
                    : TAMPERED;
            assertTrue(why.contains(expected), "byte " + i + ": rejected as '" + expected + "', but: " + why);
        }
    }

    @Test
    void aLongerLifeCannotBeGivenWithoutTheSecret() {
        byte[] value = sealed();
        ByteBuffer.wrap(value).putLong(SIGNED_BODY + 8, EXPIRES_AT + 86_400_000L);
        assertRejected(TAMPERED, signed, KEY, value);
    }

    @Test
    void aValueMovedToAnotherKeyIsRefused() {
        assertRejected(TAMPERED, signed, OTHER_KEY, sealed());
    }

    @Test
    void aValueSignedWithAnotherSecretIsRefused() {
        byte[] foreign = new EntrySeal("another-secret-long-enough-to-sign").seal(KEY, LOAD_NANOS, WRITTEN_AT, EXPIRES_AT, PAYLOAD);
        assertRejected(TAMPERED, signed, KEY, foreign);
    }

    @Test
    void aTruncatedOrExtendedValueIsRefused() {
        byte[] genuine = sealed();
        for (int length = 0; length < genuine.length; length++) {
            byte[] cut = Arrays.copyOf(genuine, length);
            String why = rejection(signed, KEY, cut);
            if (length < SIGNED_BODY + 32 + 16) {
                assertTrue(why.contains(NOT_OURS), length + " bytes: " + why);
            } else {
                assertTrue(why.contains(TAMPERED), length + " bytes: " + why);
            }
        }
        assertRejected(TAMPERED, signed, KEY, Arrays.copyOf(genuine, genuine.length + 1));
    }

    @Test
    void anotherFormatVersionIsNamedAsSuchWithOrWithoutASecret() {
        for (byte version : new byte[] {0, 1, 2, 3, 4, 6, 127, -1}) {
            byte[] value = sealed();
            value[1] = version;
            assertRejected("format " + version + ")", signed, KEY, value);
            byte[] plain = unsigned.seal(KEY, LOAD_NANOS, WRITTEN_AT, EXPIRES_AT, PAYLOAD);
            plain[1] = version;
            assertRejected("format " + version + ")", unsigned, KEY, plain);
        }
    }

    @Test
    void anAgentWithASecretReadsOnlySignedValues() {
        byte[] plain = unsigned.seal(KEY, LOAD_NANOS, WRITTEN_AT, EXPIRES_AT, PAYLOAD);
        assertRejected("not encrypted, but this agent has a secret", signed, KEY, plain);
    }

    @Test
    void anAgentWithoutASecretDoesNotTrustASignatureItCannotCheck() {
        assertRejected("encrypted, but this agent has no secret", unsigned, KEY, sealed());
    }

    @Test
    void bytesThatAreNotAnEnvelopeAreRefusedWithOrWithoutASecret() {
        // What a Java-serialization gadget starts with, and what another client may have stored.
        byte[] javaSerialized = {(byte) 0xAC, (byte) 0xED, 0, 5, 0x73, 0x72, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        for (byte[] value : new byte[][] {javaSerialized, bytes("{\"id\":5,\"name\":\"product-5\"}"), new byte[0]}) {
            assertRejected(NOT_OURS, signed, KEY, value);
            assertRejected(NOT_OURS, unsigned, KEY, value);
        }
    }

    @Test
    void noByteOfThePayloadNorOfTheTimesIsInTheClear() {
        byte[] record = bytes("Ada Lovelace <ada@example.com> card 4111111111111111");
        byte[] value = signed.seal(KEY, LOAD_NANOS, WRITTEN_AT, EXPIRES_AT, record);
        assertEquals(3 + 12 + 32 + record.length + 16, value.length, "head, nonce, times and payload, tag");
        for (String part : new String[] {"Ada", "Lovelace", "ada@example.com", "4111111111111111", "1111"}) {
            assertEquals(-1, indexOf(value, bytes(part)), part + " is not in the sealed value");
        }
        byte[] times = ByteBuffer.allocate(8).putLong(WRITTEN_AT).array();
        assertEquals(-1, indexOf(value, times), "the write time is encrypted too");
    }

    @Test
    void theValueKeyIsDerivedNotTheSecretItselfAndDiffersPerSecret() {
        byte[] k = EntrySeal.valueKey(SECRET);
        assertEquals(32, k.length, "AES-256");
        assertFalse(Arrays.equals(Arrays.copyOf(bytes(SECRET), 32), k));
        assertFalse(Arrays.equals(k, EntrySeal.valueKey(SECRET + "x")));
        assertArrayEquals(k, EntrySeal.valueKey(SECRET), "every JVM derives the same key");
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void aRefusalCarriesNoStackTrace() {
        // Refusals can come at the rate of calls; the log prints the reason, once.
        EntrySeal.Rejected r = assertThrows(EntrySeal.Rejected.class, () -> signed.open(OTHER_KEY, sealed()));
        assertEquals(0, r.getStackTrace().length);
    }

    // ---- the memo of opened values (OpenedMemo) ----

    @Test
    void theSameBytesAtTheSameNameAreOpenedOnceAndAnsweredFromMemoryAfter() throws Exception {
        byte[] value = sealed();
        EntrySeal.Opened first = signed.open(KEY, value);
        assertSame(first, signed.open(KEY, value.clone()), "equal bytes (another array) at an equal name: not decrypted again");
        assertSame(first, signed.open(KEY.clone(), value), "the name compared by its bytes");
        assertArrayEquals(PAYLOAD, first.payload());
    }

    @Test
    void aNewValueAtTheSameNameIsDecryptedAndReplacesTheOldInMemory() throws Exception {
        byte[] old = sealed();
        EntrySeal.Opened oldOpened = signed.open(KEY, old);
        byte[] newer = signed.seal(KEY, 7, WRITTEN_AT + 1_000, EXPIRES_AT + 1_000, bytes("a newer value"));
        EntrySeal.Opened newOpened = signed.open(KEY, newer);
        assertNotSame(oldOpened, newOpened);
        assertArrayEquals(bytes("a newer value"), newOpened.payload());
        assertEquals(WRITTEN_AT + 1_000, newOpened.writtenAtMillis());
        assertSame(newOpened, signed.open(KEY, newer));
        // The old value put back (a replay) still opens to its own, older, times: the caller's replay guard sees them.
        EntrySeal.Opened replayed = signed.open(KEY, old);
        assertEquals(WRITTEN_AT, replayed.writtenAtMillis());
        assertArrayEquals(PAYLOAD, replayed.payload());
    }

    @Test
    void everyByteChangedIsRefusedEvenRightAfterTheGenuineValueWasRemembered() throws Exception {
        byte[] genuine = sealed();
        EntrySeal.Opened opened = signed.open(KEY, genuine);
        for (int i = 3; i < genuine.length; i++) {
            byte[] changed = genuine.clone();
            changed[i] ^= 0x01;
            assertRejected(TAMPERED, signed, KEY, changed);
            assertSame(opened, signed.open(KEY, genuine), "byte " + i + ": the refusal does not displace the genuine value");
        }
        assertRejected(TAMPERED, signed, KEY, Arrays.copyOf(genuine, genuine.length - 1));
        assertRejected(TAMPERED, signed, KEY, Arrays.copyOf(genuine, genuine.length + 1));
    }

    @Test
    void theMemoKeepsItsOwnCopyOfTheBytes() throws Exception {
        byte[] value = sealed();
        byte[] name = KEY.clone();
        signed.open(name, value);
        value[value.length - 1] ^= 0x01; // the caller's array changed after it was opened and remembered
        assertRejected(TAMPERED, signed, KEY, value);
        name[name.length - 1] ^= 0x01;
        value[value.length - 1] ^= 0x01;
        assertRejected(TAMPERED, signed, name, value);
    }

    @Test
    void aRememberedValueMovedToAnotherNameIsRefused() throws Exception {
        byte[] value = sealed();
        signed.open(KEY, value);
        assertRejected(TAMPERED, signed, OTHER_KEY, value);
    }

    @Test
    void eachSecretRemembersOnlyWhatItAuthenticatedSoARotationReadsBoth() throws Exception {
        EntrySeal oldSecret = new EntrySeal("the-old-secret-long-enough-to-sign");
        byte[] underOld = oldSecret.seal(KEY, LOAD_NANOS, WRITTEN_AT, EXPIRES_AT, PAYLOAD);
        byte[] underNew = sealed();
        EntrySeal.Opened opened = oldSecret.open(KEY, underOld);
        assertSame(opened, oldSecret.open(KEY, underOld));
        assertRejected(TAMPERED, signed, KEY, underOld);
        assertArrayEquals(PAYLOAD, signed.open(KEY, underNew).payload());
        assertRejected(TAMPERED, oldSecret, KEY, underNew);
        assertSame(opened, oldSecret.open(KEY, underOld), "the old secret still reads its value during the rotation");
    }

    @Test
    void theMemoIsBoundedInValuesAndInTheSizeOfEach() throws Exception {
        EntrySeal seal = new EntrySeal(SECRET);
        OpenedMemo memo = new OpenedMemo();
        for (int i = 0; i < OpenedMemo.SLOTS * 3; i++) {
            String name = "recall:products:" + i;
            byte[] value = seal.seal(bytes(name), i, WRITTEN_AT, EXPIRES_AT, PAYLOAD);
            memo.remember(name, value, seal.open(name, value));
        }
        assertTrue(memo.size() <= OpenedMemo.SLOTS, memo.size() + " values remembered");
        assertTrue(memo.size() > OpenedMemo.SLOTS / 2, "the slots are used: " + memo.size());

        OpenedMemo empty = new OpenedMemo();
        byte[] large = seal.seal(KEY, 1, WRITTEN_AT, EXPIRES_AT, new byte[OpenedMemo.MAX_BYTES]);
        EntrySeal.Opened opened = seal.open(KEY, large);
        empty.remember(new String(KEY, StandardCharsets.UTF_8), large, opened);
        assertEquals(0, empty.size(), "a value over " + OpenedMemo.MAX_BYTES + " bytes is not remembered");
        assertNotSame(opened, seal.open(KEY, large), "and is decrypted on every read");
        assertArrayEquals(new byte[OpenedMemo.MAX_BYTES], seal.open(KEY, large).payload());
    }

    @Test
    void valuesReadInTurnWellUnderTheBoundAreNearlyAllRemembered() throws Exception {
        // A quarter of the bound, read in turn: with one slot per name, two names of a slot pushed each other out on
        // every read (about one in five of these was decrypted again on every read).
        EntrySeal seal = new EntrySeal(SECRET);
        int n = OpenedMemo.SLOTS / 4;
        String[] names = new String[n];
        byte[][] values = new byte[n][];
        EntrySeal.Opened[] first = new EntrySeal.Opened[n];
        for (int i = 0; i < n; i++) {
            names[i] = "recall:products:" + Base64.getUrlEncoder().withoutPadding().encodeToString(ByteBuffer.allocate(16).putInt(i * 7919).array());
            values[i] = seal.seal(bytes(names[i]), i, WRITTEN_AT, EXPIRES_AT, PAYLOAD);
            first[i] = seal.open(names[i], values[i]);
        }
        int remembered = 0;
        for (int round = 0; round < 3; round++) {
            remembered = 0;
            for (int i = 0; i < n; i++) {
                EntrySeal.Opened again = seal.open(names[i], values[i]);
                assertEquals(i, again.loadNanos());
                remembered += again == first[i] ? 1 : 0; // the very Opened remembered: not decrypted again
            }
        }
        assertTrue(remembered >= n * 99 / 100, remembered + " of " + n + " values remembered");
    }

    @Test
    void withoutASecretNothingIsRemembered() throws Exception {
        byte[] value = unsigned.seal(KEY, LOAD_NANOS, WRITTEN_AT, EXPIRES_AT, PAYLOAD);
        assertNotSame(unsigned.open(KEY, value), unsigned.open(KEY, value));
    }

    @Test
    void valuesOpenOnManyThreadsAtOnceEachToItsOwn() throws Exception {
        int threads = 4;
        byte[][] names = new byte[64][];
        byte[][] values = new byte[64][];
        for (int i = 0; i < names.length; i++) {
            names[i] = bytes("recall:products:k" + i);
            values[i] = signed.seal(names[i], i, WRITTEN_AT, EXPIRES_AT, bytes("payload " + i));
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        java.util.List<CompletableFuture<Void>> all = new java.util.ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int offset = t;
            all.add(CompletableFuture.runAsync(() -> {
                for (int n = 0; n < 20_000; n++) {
                    int i = (n * 7 + offset) % names.length;
                    try {
                        EntrySeal.Opened o = signed.open(names[i], values[i]);
                        if (o.loadNanos() != i || !Arrays.equals(o.payload(), bytes("payload " + i))) {
                            throw new AssertionError("key " + i + " opened to another value");
                        }
                        if (n % 97 == 0) {
                            signed.open(names[(i + 1) % names.length], values[i]);
                            throw new AssertionError("a value moved to another name was opened");
                        }
                    } catch (EntrySeal.Rejected e) {
                        if (n % 97 != 0) {
                            throw new AssertionError(e.getMessage());
                        }
                    }
                }
            }, pool));
        }
        try {
            CompletableFuture.allOf(all.toArray(new CompletableFuture[0])).get();
        } finally {
            pool.shutdownNow();
        }
    }
}
