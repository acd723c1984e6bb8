package dev.recall.agent.store.remote;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The envelope of every value in Redis: version, flags, the load time the entry saves, when it expires, when it
 * was written, when it stops being fresh, the payload. With a secret, everything after the flags is encrypted
 * with AES-256-GCM under a key derived from the secret ({@link #valueKey}), with the Redis key name and the
 * first three bytes as associated data: a value can be neither read, forged, moved to another key, nor given a
 * longer life or a newer write time without the secret. Nothing is deserialized before the tag is checked.
 *
 * <p>Layout with a secret: {@code 'R' 5 2 nonce(12) AES-GCM(loadNanos(8) expiresAtMillis(8) writtenAtMillis(8)
 * freshUntilMillis(8) payload) tag(16)}; the 12-byte nonce is random per value (a value is written once per
 * load, far fewer than the 2^32 values per key that random GCM nonces allow). Without one ({@code insecure:
 * true}): {@code 'R' 5 0 loadNanos expiresAtMillis writtenAtMillis freshUntilMillis payload}, in plain text.
 * A value is fresh until {@code freshUntil}, then stale (served only when its reload fails) until it expires.
 * Both times are wall-clock time (the JVMs sharing Redis share no other clock): the expiry so that a JVM reading
 * the entry keeps it, in its near cache, no longer than Redis does; the write time so that an old value put back
 * at its key is recognised as older than what was seen there ({@link NewestSeen}).
 *
 * <p>Shared by all threads; a {@link Cipher} is not thread-safe, so each thread has its own, its own random
 * source for nonces (one shared {@link SecureRandom} would be a point of contention) and its own scratch buffers
 * ({@link PerThread}). The values opened last are remembered ({@link OpenedMemo}, thread-safe): a hit that reads
 * bytes identical to ones already authenticated at the same key name is not decrypted again.
 */
final class EntrySeal {

    private static final byte MAGIC = 'R';
    private static final byte VERSION = 5;
    private static final int HEAD = 3;
    /** loadNanos, expiresAtMillis, writtenAtMillis, freshUntilMillis. */
    private static final int TIMES = 32;
    private static final byte PLAIN = 0;
    private static final byte ENCRYPTED = 2;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BYTES = 16;
    /** The HKDF salt and the label of the value key: a key name's HMAC key ({@link RemoteKeys}) is derived otherwise. */
    static final String SALT = "recall/v1";
    static final String VALUE_KEY_LABEL = "recall value encryption";

    /** A value that is not ours, or not intact. */
    static final class Rejected extends Exception {
        Rejected(String why) {
            super(why, null, false, false);
        }
    }

    /** What an intact envelope holds. */
    record Opened(long loadNanos, long expiresAtMillis, long writtenAtMillis, long freshUntilMillis, byte[] payload) {
    }

    private static final int SCRATCH_MAX = 4096;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private final SecretKeySpec key;
    private final ThreadLocal<PerThread> perThread;
    /** Values this seal opened lately; {@code null} without a secret (opening plain text costs next to nothing). */
    private final OpenedMemo memo;

    /** One thread's cipher, nonce source and buffers: nothing in it is thread-safe, and nothing leaves the thread. */
    private static final class PerThread {
        final Cipher cipher;
        final SecureRandom random = random();
        /** The associated data (key name, head) in one piece: one {@code updateAAD}, which the cipher buffers once. */
        byte[] aad = new byte[128];
        /**
         * Where a value of at most {@link EntrySeal#SCRATCH_MAX} bytes is decrypted to, before its payload is copied out; a
         * larger one gets an array of its own, so that no thread keeps a large buffer for one large value it read.
         */
        final byte[] plain = new byte[SCRATCH_MAX];

        PerThread() {
            try {
                cipher = Cipher.getInstance("AES/GCM/NoPadding");
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("AES/GCM is not available in this JVM", e);
            }
        }
    }

    /** @param secret {@code null}: values in plain text ({@code insecure: true}) */
    EntrySeal(String secret) {
        if (secret == null) {
            key = null;
            perThread = null;
            memo = null;
            return;
        }
        key = new SecretKeySpec(valueKey(secret), "AES");
        perThread = ThreadLocal.withInitial(PerThread::new);
        memo = new OpenedMemo();
        // The JCE's first use (providers, the DRBG's seeding) takes a while: here, at start, not inside the first
        // call that stores a value, between the write time it seals and the moment the value lands.
        seal(new byte[0], 0, 0, 0, new byte[0]);
    }

    /** DRBG instances share no lock (the default NativePRNG's do); any JDK 9 or later has it. */
    private static SecureRandom random() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (GeneralSecurityException e) {
            return new SecureRandom();
        }
    }

    /**
     * The AES-256 key of values: HKDF (RFC 5869) with HMAC-SHA256, salt {@value #SALT}, the secret's UTF-8 bytes as
     * input key material and {@value #VALUE_KEY_LABEL} as info; one block of output is the 32 bytes needed.
     */
    static byte[] valueKey(String secret) {
        try {
            Mac extract = Mac.getInstance("HmacSHA256");
            extract.init(new SecretKeySpec(SALT.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] prk = extract.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            Mac expand = Mac.getInstance("HmacSHA256");
            expand.init(new SecretKeySpec(prk, "HmacSHA256"));
            expand.update(VALUE_KEY_LABEL.getBytes(StandardCharsets.UTF_8));
            expand.update((byte) 1);
            return expand.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }

    byte[] seal(byte[] redisKey, long loadNanos, long writtenAtMillis, long expiresAtMillis, byte[] payload) {
        return seal(redisKey, loadNanos, writtenAtMillis, expiresAtMillis, expiresAtMillis, payload);
    }

    /**
     * @param freshUntilMillis when the value stops being fresh; until {@code expiresAtMillis} it is stale, served
     *     only when its reload fails
     */
    byte[] seal(byte[] redisKey, long loadNanos, long writtenAtMillis, long freshUntilMillis, long expiresAtMillis, byte[] payload) {
        boolean encrypted = key != null;
        int body = TIMES + payload.length;
        ByteBuffer out = ByteBuffer.allocate(HEAD + (encrypted ? NONCE_BYTES + TAG_BYTES : 0) + body);
        out.put(MAGIC).put(VERSION).put(encrypted ? ENCRYPTED : PLAIN);
        if (!encrypted) {
            return out.putLong(loadNanos).putLong(expiresAtMillis).putLong(writtenAtMillis).putLong(freshUntilMillis).put(payload).array();
        }
        byte[] bytes = out.array();
        PerThread t = perThread.get();
        byte[] nonce = new byte[NONCE_BYTES];
        t.random.nextBytes(nonce);
        System.arraycopy(nonce, 0, bytes, HEAD, NONCE_BYTES);
        byte[] plain = ByteBuffer.allocate(body).putLong(loadNanos).putLong(expiresAtMillis).putLong(writtenAtMillis)
                .putLong(freshUntilMillis).put(payload).array();
        try {
            Cipher c = cipher(t, Cipher.ENCRYPT_MODE, bytes, redisKey);
            c.doFinal(plain, 0, plain.length, bytes, HEAD + NONCE_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM failed to encrypt", e);
        }
        return bytes;
    }

    /** As {@link #open(String, byte[])}, the name given as its UTF-8 bytes (tests, benchmarks). */
    Opened open(byte[] redisKey, byte[] bytes) throws Rejected {
        return open(new String(redisKey, StandardCharsets.UTF_8), bytes);
    }

    /**
     * What the value {@code bytes} read at {@code redisKey} holds, if it is intact and ours: with a secret, it must
     * authenticate with the name's UTF-8 bytes as associated data.
     *
     * @throws Rejected if it is not ours, not intact, or at another name than it was sealed for
     */
    Opened open(String redisKey, byte[] bytes) throws Rejected {
        if (bytes.length < HEAD + TIMES || bytes[0] != MAGIC) {
            throw new Rejected("not a value written by Recall");
        }
        if (bytes[1] != VERSION) {
            throw new Rejected("written by another version of the agent (format " + bytes[1] + ")");
        }
        if (key != null) {
            if (bytes[2] != ENCRYPTED) {
                throw new Rejected("not encrypted, but this agent has a secret: only values encrypted under it are read");
            }
            int sealed = bytes.length - HEAD - NONCE_BYTES;
            if (sealed < TIMES + TAG_BYTES) {
                throw new Rejected("not a value written by Recall (too short)");
            }
            // The same bytes at the same name decrypt to the same thing, or fail the same way: only bytes that
            // authenticated here are remembered, and only a byte-for-byte equal value (nonce, ciphertext and tag)
            // at an equal name is answered from memory.
            Opened known = memo.find(redisKey, bytes);
            if (known != null) {
                return known;
            }
            Opened opened = decrypt(redisKey.getBytes(StandardCharsets.UTF_8), bytes, sealed);
            memo.remember(redisKey, bytes, opened);
            return opened;
        }
        if (bytes[2] == ENCRYPTED) {
            // Encrypted by an agent with a secret: we cannot check it, so we do not trust it.
            throw new Rejected("encrypted, but this agent has no secret to decrypt it with");
        }
        if (bytes[2] != PLAIN) {
            throw new Rejected("not a value written by Recall (flags " + bytes[2] + ")");
        }
        return read(bytes, HEAD, bytes.length - HEAD);
    }

    /** Authenticates and decrypts {@code bytes}, of which {@code sealed} bytes (ciphertext and tag) follow the nonce. */
    private Opened decrypt(byte[] redisKey, byte[] bytes, int sealed) throws Rejected {
        PerThread t = perThread.get();
        int length = sealed - TAG_BYTES;
        byte[] plain = length <= SCRATCH_MAX ? t.plain : new byte[length];
        try {
            cipher(t, Cipher.DECRYPT_MODE, bytes, redisKey).doFinal(bytes, HEAD + NONCE_BYTES, sealed, plain, 0);
        } catch (AEADBadTagException e) {
            throw new Rejected("does not authenticate (tampered with, moved from another key, or encrypted under "
                    + "another secret)");
        } catch (GeneralSecurityException e) {
            throw new Rejected("cannot be decrypted (" + e.getClass().getSimpleName() + ")");
        }
        return read(plain, 0, length);
    }

    /** The times and a copy of the payload, from the {@code length} plain-text bytes at {@code offset}. */
    private static Opened read(byte[] plain, int offset, int length) {
        long loadNanos = (long) LONGS.get(plain, offset);
        long expiresAtMillis = (long) LONGS.get(plain, offset + 8);
        long writtenAtMillis = (long) LONGS.get(plain, offset + 16);
        long freshUntilMillis = (long) LONGS.get(plain, offset + 24);
        byte[] payload = new byte[length - TIMES];
        System.arraycopy(plain, offset + TIMES, payload, 0, payload.length);
        return new Opened(loadNanos, expiresAtMillis, writtenAtMillis, freshUntilMillis, payload);
    }

    /**
     * This thread's cipher, ready for the value {@code value} (its head, and its nonce after it) at {@code redisKey}:
     * the key name and the head are associated data, passed as one piece (GCM's associated data is one string of
     * bytes, so this is the same as passing them one after the other, as earlier versions did).
     */
    private Cipher cipher(PerThread t, int mode, byte[] value, byte[] redisKey) throws GeneralSecurityException {
        int aadLength = redisKey.length + HEAD;
        if (t.aad.length < aadLength) {
            t.aad = new byte[aadLength]; // a key name longer than any before on this thread; names are short
        }
        byte[] aad = t.aad;
        System.arraycopy(redisKey, 0, aad, 0, redisKey.length);
        System.arraycopy(value, 0, aad, redisKey.length, HEAD);
        Cipher c = t.cipher;
        c.init(mode, key, new GCMParameterSpec(TAG_BYTES * 8, value, HEAD, NONCE_BYTES));
        c.updateAAD(aad, 0, aadLength);
        return c;
    }
}
