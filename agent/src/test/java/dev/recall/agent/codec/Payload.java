package dev.recall.agent.codec;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Builds payloads by hand, for bytes the encoder would never write. */
final class Payload {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    static Payload header() {
        Payload p = new Payload();
        p.out.write(Tag.MAGIC);
        p.out.write(Tag.VERSION);
        return p;
    }

    Payload tag(int tag) {
        out.write(tag);
        return this;
    }

    Payload varint(int v) {
        while ((v & ~0x7F) != 0) {
            out.write((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out.write(v);
        return this;
    }

    Payload string(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        varint(b.length);
        out.write(b, 0, b.length);
        return this;
    }

    Payload int32(int v) {
        out.write(v >>> 24);
        out.write(v >>> 16);
        out.write(v >>> 8);
        out.write(v);
        return this;
    }

    /** A class written for the first time: 0, name, fingerprint. */
    Payload newClass(String name, int fingerprint) {
        return varint(0).string(name).int32(fingerprint);
    }

    byte[] bytes() {
        return out.toByteArray();
    }
}
