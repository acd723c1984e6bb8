package dev.recall.it.app.footprint;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** A test class's file, to define under other names or in other loaders. */
final class Template {

    private Template() {
    }

    static byte[] bytes(Class<?> anchor, String binaryName) throws IOException {
        try (InputStream in = anchor.getClassLoader().getResourceAsStream(binaryName.replace('.', '/') + ".class")) {
            return in.readAllBytes();
        }
    }

    /** Every occurrence of {@code from} replaced by {@code to}, of the same length (class names in the constant pool). */
    static byte[] renamed(byte[] bytes, String from, String to) {
        byte[] f = from.getBytes(StandardCharsets.UTF_8);
        byte[] t = to.getBytes(StandardCharsets.UTF_8);
        if (f.length != t.length) {
            throw new IllegalArgumentException(from + " and " + to + " differ in length");
        }
        byte[] out = bytes.clone();
        for (int i = 0; i + f.length <= out.length; i++) {
            int k = 0;
            while (k < f.length && out[i + k] == f[k]) {
                k++;
            }
            if (k == f.length) {
                System.arraycopy(t, 0, out, i, t.length);
                i += f.length - 1;
            }
        }
        return out;
    }

    /** Defines classes from bytes: a fresh one per "deployment". */
    static final class Loader extends ClassLoader {
        Loader(ClassLoader parent) {
            super(parent);
        }

        Class<?> define(String name, byte[] bytes) {
            return defineClass(name, bytes, 0, bytes.length);
        }
    }
}
