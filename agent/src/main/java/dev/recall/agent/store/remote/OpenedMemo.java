package dev.recall.agent.store.remote;

import java.util.Arrays;
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
 * <p>Bounded: {@value #SLOTS} slots, one value each, chosen by the key name (a newer value at a name replaces
 * the older one); only values of at most {@value #MAX_BYTES} bytes are remembered. A slot holds the value's
 * bytes, its payload and its name, about twice the value and 150 bytes: at most about 4.7 MB with every slot
 * holding the largest value remembered, about 1.2 MB with values of 100 bytes. Nothing expires by time: a value past its
 * expiry is still opened from here, and refused as expired by the caller, as a decrypted one would be.
 *
 * <p>Shared by every thread of the seal's stores. Slots are an {@link AtomicReferenceArray} of immutable
 * {@link Memo}s; two threads remembering at once in one slot leave one of the two, either of them right. The
 * value's bytes held are a copy made here, and the payload handed out is shared by the hits that read it: its only
 * reader, the value codec, never writes to it.
 */
final class OpenedMemo {

    static final int SLOTS = 4096;
    static final int MAX_BYTES = 512;

    private record Memo(String redisKey, byte[] sealed, EntrySeal.Opened opened) {
    }

    private final AtomicReferenceArray<Memo> slots = new AtomicReferenceArray<>(SLOTS);

    /** What {@code sealed} at {@code redisKey} opened to, if those very bytes at that name authenticated here lately. */
    EntrySeal.Opened find(String redisKey, byte[] sealed) {
        Memo m = slots.get(slot(redisKey));
        return m != null && Arrays.equals(m.sealed, sealed) && m.redisKey.equals(redisKey) ? m.opened : null;
    }

    /** {@code sealed} at {@code redisKey} authenticated and opened to {@code opened}. */
    void remember(String redisKey, byte[] sealed, EntrySeal.Opened opened) {
        if (sealed.length <= MAX_BYTES) {
            // A copy: the caller's array is not ours to keep (nobody writes to it now, but nothing forbids it).
            slots.set(slot(redisKey), new Memo(redisKey, sealed.clone(), opened));
        }
    }

    /**
     * The slot of a key name. The names a hit reads come from {@link RemoteKeys#entry}, which gives the same
     * {@code String} instance to a key read again, so its hash is usually computed already.
     */
    private static int slot(String redisKey) {
        int h = redisKey.hashCode();
        h ^= h >>> 16;
        h *= 0x85EBCA6B;
        h ^= h >>> 13;
        return h & (SLOTS - 1);
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
