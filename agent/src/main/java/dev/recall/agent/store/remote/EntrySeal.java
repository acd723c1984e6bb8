package dev.recall.agent.store.remote;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The envelope of every value in Redis: version, signature, the load time the entry saves, when it
 * expires, when it was written, the payload. The signature is HMAC-SHA256 over the Redis key and everything after it, so a
 * value can be neither forged, moved to another key, nor given a longer life without the secret. Nothing
 * is deserialized before it is checked.
 *
 * <p>Layout: {@code 'R' 3 flags [32-byte MAC if signed] loadNanos(8) expiresAtMillis(8) writtenAtMillis(8)
 * freshUntilMillis(8) payload}: a value is fresh until {@code freshUntil}, then stale (served only when its
 * reload fails) until it expires. Both times are wall-clock time (the JVMs sharing Redis share no other clock): the expiry so
 * that a JVM reading the entry keeps it, in its near cache, no longer than Redis does; the write time so
 * that an old signed value put back at its key is recognised as older than what was seen there
 * ({@link NewestSeen}).
 *
 * <p>Shared by all threads; a {@link Mac} is not thread-safe, so each thread has its own.
 */
final class EntrySeal {

    private static final byte MAGIC = 'R';
    private static final byte VERSION = 4;
    /** loadNanos, expiresAtMillis, writtenAtMillis, freshUntilMillis. */
    private static final int TIMES = 32;
    private static final byte SIGNED = 1;
    private static final int MAC_BYTES = 32;

    /** A value that is not ours, or not intact. */
    static final class Rejected extends Exception {
        Rejected(String why) {
            super(why, null, false, false);
        }
    }

    /** What an intact envelope holds. */
    record Opened(long loadNanos, long expiresAtMillis, long writtenAtMillis, long freshUntilMillis, byte[] payload) {
    }

    private final ThreadLocal<Mac> macs;

    /** @param secret {@code null}: unsigned ({@code insecure: true}) */
    EntrySeal(String secret) {
        if (secret == null) {
            macs = null;
            return;
        }
        SecretKeySpec key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        macs = ThreadLocal.withInitial(() -> {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(key);
                return mac;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
            }
        });
    }

    byte[] seal(byte[] redisKey, long loadNanos, long writtenAtMillis, long expiresAtMillis, byte[] payload) {
        return seal(redisKey, loadNanos, writtenAtMillis, expiresAtMillis, expiresAtMillis, payload);
    }

    /**
     * @param freshUntilMillis when the value stops being fresh; until {@code expiresAtMillis} it is stale, served
     *     only when its reload fails
     */
    byte[] seal(byte[] redisKey, long loadNanos, long writtenAtMillis, long freshUntilMillis, long expiresAtMillis, byte[] payload) {
        boolean signed = macs != null;
        int head = 3 + (signed ? MAC_BYTES : 0);
        ByteBuffer out = ByteBuffer.allocate(head + TIMES + payload.length);
        out.put(MAGIC).put(VERSION).put(signed ? SIGNED : 0);
        out.position(head);
        out.putLong(loadNanos).putLong(expiresAtMillis).putLong(writtenAtMillis).putLong(freshUntilMillis).put(payload);
        byte[] bytes = out.array();
        if (signed) {
            System.arraycopy(mac(redisKey, bytes, head), 0, bytes, 3, MAC_BYTES);
        }
        return bytes;
    }

    Opened open(byte[] redisKey, byte[] bytes) throws Rejected {
        if (bytes.length < 3 + TIMES || bytes[0] != MAGIC) {
            throw new Rejected("not a value written by Recall");
        }
        if (bytes[1] != VERSION) {
            throw new Rejected("written by another version of the agent (format " + bytes[1] + ")");
        }
        boolean signed = bytes[2] == SIGNED;
        int head = 3 + (signed ? MAC_BYTES : 0);
        if (macs != null) {
            if (!signed || bytes.length < head + TIMES) {
                throw new Rejected("unsigned, but this agent has a secret: only signed values are read");
            }
            byte[] expected = mac(redisKey, bytes, head);
            byte[] actual = new byte[MAC_BYTES];
            System.arraycopy(bytes, 3, actual, 0, MAC_BYTES);
            if (!MessageDigest.isEqual(expected, actual)) {
                throw new Rejected("signature does not match (tampered with, moved from another key, or signed "
                        + "with another secret)");
            }
        } else if (signed) {
            // Signed by an agent with a secret: we cannot check it, so we do not trust it.
            throw new Rejected("signed, but this agent has no secret to check it with");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes, head, bytes.length - head);
        long loadNanos = in.getLong();
        long expiresAtMillis = in.getLong();
        long writtenAtMillis = in.getLong();
        long freshUntilMillis = in.getLong();
        byte[] payload = new byte[in.remaining()];
        in.get(payload);
        return new Opened(loadNanos, expiresAtMillis, writtenAtMillis, freshUntilMillis, payload);
    }

    private byte[] mac(byte[] redisKey, byte[] bytes, int from) {
        Mac mac = macs.get();
        mac.update(redisKey);
        mac.update((byte) 0);
        mac.update(bytes, from, bytes.length - from);
        return mac.doFinal();
    }
}
