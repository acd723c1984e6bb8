package dev.recall.agent.store.remote;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Names entries in Redis: {@code keyPrefix + region + ":" + hash}, the hash (SHA-256, first 128 bits,
 * base64url) taken over the region's generation and the key's rendered form. So no argument appears in
 * Redis in plain text, every JVM names the same key the same way, and bumping a region's generation
 * makes all its old entries unreachable at once.
 *
 * <p>The rendered form is the arguments' {@code toString()}: key arguments must render the same in every
 * JVM (strings, numbers, records and enums do). Shared by all threads; digests are per thread.
 */
final class RemoteKeys {

    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    });
    private static final Base64.Encoder BASE64 = Base64.getUrlEncoder().withoutPadding();

    private final String prefix;

    RemoteKeys(String prefix) {
        this.prefix = prefix;
    }

    /** The name of the entry whose key renders as {@code rendered} ({@code Keys.render}). */
    String entryRendered(String region, long generation, String rendered) {
        MessageDigest sha = SHA256.get();
        sha.update(Long.toString(generation).getBytes(StandardCharsets.UTF_8));
        sha.update((byte) '\n');
        sha.update(rendered.getBytes(StandardCharsets.UTF_8));
        byte[] digest = sha.digest();
        byte[] half = new byte[16];
        System.arraycopy(digest, 0, half, 0, 16);
        return prefix + region + ':' + BASE64.encodeToString(half);
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
}
