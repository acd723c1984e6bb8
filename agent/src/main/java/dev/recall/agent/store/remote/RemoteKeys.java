package dev.recall.agent.store.remote;

import dev.recall.agent.key.KeyBytes;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReferenceArray;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Names entries in Redis: {@code keyPrefix + region + ":" + hash}, the hash (first 128 bits, base64url)
 * taken over the region's generation and the key's bytes ({@link KeyBytes}: type-tagged, length-prefixed
 * parts, so two different keys never hash the same bytes). So no argument appears in Redis in plain
 * text, every JVM names the same key the same way, and bumping a region's generation makes all its old
 * entries unreachable at once.
 *
 * <p>The hash is HMAC-SHA256 under the {@code secret} (a key derived from it, not the signing key itself):
 * a plain hash of a card number or an e-mail address can be reversed by trying the candidates, which is
 * quick for anything with a small space of values. Only with {@code insecure: true}, where there is no
 * secret, it is SHA-256, and the README says that names can then be guessed.
 *
 * <p>The key's bytes hold its values' whole state, never their {@code toString()}, and nothing that differs
 * from JVM to JVM (classes and enums by name). Shared by all threads; digests are per thread, and the names
 * given lately are remembered ({@link #named}, thread-safe), so a key read again is not hashed again.
 */
final class RemoteKeys {

    private static final Base64.Encoder BASE64 = Base64.getUrlEncoder().withoutPadding();

    private final String prefix;
    /** One per thread: neither a Mac nor a MessageDigest is thread-safe. */
    private final ThreadLocal<Hash> hashes;

    /** How many names are remembered, and the longest key (in bytes) whose name is: see {@link #named}. */
    static final int NAMES = 4096;
    static final int MAX_KEY_BYTES = 64;
    static final int WAYS = 8;
    private static final int SETS = NAMES / WAYS;

    /** A name given lately: the region, generation and key bytes it was computed from, and their hash. Immutable. */
    private record Named(int hash, String region, long generation, byte[] key, String name) {
    }

    /**
     * The names given lately, in sets of {@value #WAYS} slots chosen by the key's bytes: a name is a pure function of
     * the secret, the region, the generation and the key's bytes, so a name found here for equal ones is the name the
     * HMAC would give, without the HMAC (or, insecure, the SHA-256), the base64 and the string it builds. Bounded:
     * {@value #NAMES} names of keys of at most {@value #MAX_KEY_BYTES} bytes, about 200 bytes each (800 kB at most); a
     * key new to a full set replaces one of the set's at random. Sets rather than one slot per key: with one, two keys
     * of a slot pushed each other out on every call, and about one hit in five of 1,024 keys read in turn was hashed
     * again (stop 26, the Memcached hit). Shared by every thread: slots hold immutable records, and two threads
     * filling one slot at once leave either, both right.
     */
    private final AtomicReferenceArray<Named> named = new AtomicReferenceArray<>(NAMES);
    /**
     * Each slot's {@link Named#hash}, beside the slots: a look-up reads its set's eight in one cache line and follows only
     * the slot whose hash matches. Plain ints, written after their slot: a reader that sees a tag and a slot of
     * different times compares the whole record anyway, and at worst hashes the name again.
     */
    private final int[] tags = new int[NAMES];

    /** @param secret {@code null}: unkeyed SHA-256 ({@code insecure: true}) */
    RemoteKeys(String prefix, String secret) {
        this.prefix = prefix;
        if (secret == null) {
            hashes = ThreadLocal.withInitial(() -> {
                try {
                    MessageDigest sha = MessageDigest.getInstance("SHA-256");
                    return new Hash() {
                        @Override
                        public void update(byte[] b) {
                            sha.update(b);
                        }

                        @Override
                        public byte[] digest() {
                            return sha.digest();
                        }
                    };
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException("SHA-256 is not available in this JVM", e);
                }
            });
            return;
        }
        // Derived, so that a key name and an entry's signature are never MACs under the same key.
        SecretKeySpec key = new SecretKeySpec(("recall key names\n" + secret).getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        hashes = ThreadLocal.withInitial(() -> {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(key);
                return new Hash() {
                    @Override
                    public void update(byte[] b) {
                        mac.update(b);
                    }

                    @Override
                    public byte[] digest() {
                        return mac.doFinal();
                    }
                };
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
            }
        });
    }

    private interface Hash {
        void update(byte[] bytes);

        byte[] digest();
    }

    /** The name of the entry of {@code key} ({@link KeyBytes#of}). @throws KeyBytes.Unnameable as that does */
    String entry(String region, long generation, Object key) {
        return entry(region, generation, KeyBytes.of(key));
    }

    /** The name of the entry whose key has the bytes {@code key}. */
    String entry(String region, long generation, byte[] key) {
        int hash = hash(region, generation, key);
        int first = (hash & (SETS - 1)) * WAYS;
        for (int i = first; i < first + WAYS; i++) {
            if (tags[i] != hash) {
                continue;
            }
            Named n = named.get(i);
            if (n != null && n.hash == hash && n.generation == generation && Arrays.equals(n.key, key) && n.region.equals(region)) {
                return n.name;
            }
        }
        String name = name(region, generation, key);
        if (key.length <= MAX_KEY_BYTES) {
            int slot = -1;
            for (int i = first; i < first + WAYS && slot < 0; i++) {
                if (named.get(i) == null) {
                    slot = i;
                }
            }
            // A full set: any one out. Random, not the oldest: keys read in turn, more than fit, would otherwise each
            // push out the one read next.
            if (slot < 0) {
                slot = first + ThreadLocalRandom.current().nextInt(WAYS);
            }
            named.set(slot, new Named(hash, region, generation, key.clone(), name));
            tags[slot] = hash;
        }
        return name;
    }

    /**
     * What chooses a key's set (its low bits): FNV-1a over the key's bytes, then mixed: keys often differ only in their
     * last bytes (consecutive ids), where {@link Arrays#hashCode(byte[])} gives many of them the same hash (1,024
     * consecutive longs: about 400).
     */
    private static int hash(String region, long generation, byte[] key) {
        int h = 0x811C9DC5;
        for (byte b : key) {
            h = (h ^ (b & 0xFF)) * 0x01000193;
        }
        h ^= region.hashCode() * 31 ^ Long.hashCode(generation) * 0x9E3779B9;
        h ^= h >>> 16;
        h *= 0x85EBCA6B;
        h ^= h >>> 13;
        return h;
    }

    /** The name, hashed: the HMAC (or, insecure, the SHA-256) of the generation and the key's bytes. */
    private String name(String region, long generation, byte[] key) {
        Hash h = hashes.get();
        // The generation ends at its newline; the key's bytes after it are its own (and start with their version).
        h.update(generationLine(generation));
        h.update(key);
        byte[] digest = h.digest();
        byte[] half = new byte[16];
        System.arraycopy(digest, 0, half, 0, 16);
        return prefix + region + ':' + BASE64.encodeToString(half);
    }

    /** {@code generation} in decimal ASCII digits and a newline, as the names have always hashed it. */
    private static byte[] generationLine(long generation) {
        if (generation >= 0 && generation < 10) {
            return GENERATION_LINES[(int) generation]; // nearly every region: never invalidated whole, or a few times
        }
        return (Long.toString(generation) + '\n').getBytes(StandardCharsets.US_ASCII);
    }

    private static final byte[][] GENERATION_LINES = new byte[10][];

    static {
        for (int i = 0; i < GENERATION_LINES.length; i++) {
            GENERATION_LINES[i] = new byte[] {(byte) ('0' + i), '\n'};
        }
    }

    /** The lock of a load of the entry at {@code entryKey}; '#' never occurs in a hash, so it never names an entry. */
    String lock(String entryKey) {
        return entryKey + "#load";
    }

    /** The region's generation counter; '#' never occurs in a base64url hash, so it never names an entry. */
    String generation(String region) {
        return prefix + region + ":#generation";
    }

    String channel() {
        return prefix + "#invalidations";
    }

    /** Where one JVM hears the acknowledgements of its writes' invalidations ({@link Acks}). */
    String ackChannel(String nodeId) {
        return prefix + "#acks:" + nodeId;
    }

    /** The JVMs holding near-cache leases ({@link Lease}): a sorted set, node id by lease end (Redis clock, ms). */
    String leases() {
        return prefix + "#leases";
    }
}
