package dev.recall.agent.store.remote;

import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The values one {@link EntrySeal} (one secret) opened lately, so that a hit reading the very bytes it read before
 * at the same key name does not authenticate and decrypt them again: AES-GCM is deterministic, so equal bytes at an
 * equal name (the associated data) open to the same times and payload, and fail the same way. Only values that
 * authenticated are remembered, and a value is answered from here only if its bytes (nonce, ciphertext and tag)
 * and its key name are equal, byte for byte, to remembered ones: a value changed in any byte, moved to another
 * name, or under another secret (another seal, another memo) is decrypted, and refused, as before. What is
 * checked after opening (the replay guard, expiry, the class allowlist, decoding into a fresh object) runs on
 * every hit as before: this saves only the decryption.
 *
 * <p>Bounded: {@value #SLOTS} slots, one value each, in sets of {@value #WAYS} chosen by the key name (a newer value
 * at a name replaces the older one in its set; a name new to a full set replaces one of the set's, at random); only
 * values of at most {@value #MAX_BYTES} bytes are remembered. Sets rather than one slot per name: with one slot, two
 * names of the same slot pushed each other out on every read, which for 1,024 names read in turn was about one hit in
 * five decrypting again (stop 26, the Memcached hit); with eight ways, a few in a thousand. A slot holds the value's
 * bytes, its payload and its name, about twice the value and 150 bytes: at most about 4.7 MB with every slot holding
 * the largest value remembered, about 1.2 MB with values of 100 bytes. Nothing expires by time: a value past its
 * expiry is still opened from here, and refused as expired by the caller, as a decrypted one would be.
 *
 * <p>Shared by every thread of the seal's stores. Slots are an {@link AtomicReferenceArray} of immutable
 * {@link Memo}s; two threads remembering at once in one slot leave one of the two, either of them right, and two
 * remembering one name at once in two ways of its set leave both, each answering only its own bytes. The
 * value's bytes held are a copy made here, and the payload handed out is shared by the hits that read it: its only
 * reader, the value codec, never writes to it.
 */
final class OpenedMemo {

    static final int SLOTS = 4096;
    static final int WAYS = 8;
    static final int MAX_BYTES = 512;
    private static final int SETS = SLOTS / WAYS;

    /** @param hash the name's {@link String#hashCode} */
    private record Memo(int hash, String redisKey, byte[] sealed, EntrySeal.Opened opened) {
    }

    private final AtomicReferenceArray<Memo> slots = new AtomicReferenceArray<>(SLOTS);
    /**
     * Each slot's {@link Memo#hash}, beside the slots: a look-up reads its set's eight in one cache line and follows only
     * the slot whose hash matches. Plain ints, written after their slot: a reader that sees a tag and a slot of
     * different times compares the whole memo anyway, and at worst decrypts again.
     */
    private final int[] tags = new int[SLOTS];

    /** What {@code sealed} at {@code redisKey} opened to, if those very bytes at that name authenticated here lately. */
    EntrySeal.Opened find(String redisKey, byte[] sealed) {
        int hash = redisKey.hashCode();
        int first = set(hash);
        for (int i = first; i < first + WAYS; i++) {
            if (tags[i] != hash) {
                continue;
            }
            Memo m = slots.get(i);
            if (m != null && m.hash == hash && m.redisKey.equals(redisKey) && Arrays.equals(m.sealed, sealed)) {
                return m.opened;
            }
        }
        return null;
    }

    /** {@code sealed} at {@code redisKey} authenticated and opened to {@code opened}. */
    void remember(String redisKey, byte[] sealed, EntrySeal.Opened opened) {
        if (sealed.length > MAX_BYTES) {
            return;
        }
        int hash = redisKey.hashCode();
        int first = set(hash);
        int free = -1;
        for (int i = first; i < first + WAYS; i++) {
            Memo m = slots.get(i);
            if (m != null && m.hash == hash && m.redisKey.equals(redisKey)) {
                free = i; // the name's older value: replaced where it is
                break;
            }
            if (m == null && free < 0) {
                free = i;
            }
        }
        if (free < 0) {
            // A full set: any one out. Random, not the oldest: names read in turn, more than fit, would otherwise each
            // push out the one read next.
            free = first + ThreadLocalRandom.current().nextInt(WAYS);
        }
        // A copy: the caller's array is not ours to keep (nobody writes to it now, but nothing forbids it).
        slots.set(free, new Memo(hash, redisKey, sealed.clone(), opened));
        tags[free] = hash;
    }

    /**
     * The first slot of a name's set. The names a hit reads come from {@link RemoteKeys#entry}, which gives the same
     * {@code String} instance to a key read again, so its hash is usually computed already.
     */
    private static int set(int hash) {
        int h = hash;
        h ^= h >>> 16;
        h *= 0x85EBCA6B;
        h ^= h >>> 13;
        return (h & (SETS - 1)) * WAYS;
    }

    /** How many values are remembered now (tests). */
    int size() {
        int n = 0;
        for (int i = 0; i < SLOTS; i++) {
            if (slots.get(i) != null) {
                n++;
            }
        }
        return n;
    }
}
