package dev.recall.agent.instrumentation;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What the start of a class file says about its type, read straight from the bytes: the constant pool,
 * the superclass and the interfaces. A few microseconds, against the milliseconds of building a full
 * type description, for the thousands of classes an application loads that have nothing to do with us.
 */
final class ClassFileHeader {

    private final byte[] bytes;
    private final int[] offsets;
    private final String superName;
    private final List<String> interfaces = new ArrayList<>();
    private final int access;

    private ClassFileHeader(byte[] bytes) {
        this.bytes = bytes;
        int count = u2(8);
        this.offsets = new int[count];
        int p = 10;
        for (int i = 1; i < count; i++) {
            offsets[i] = p;
            int tag = bytes[p] & 0xFF;
            switch (tag) {
                case 1: p += 3 + u2(p + 1); break;             // Utf8
                case 3: case 4: p += 5; break;                  // Integer, Float
                case 5: case 6: p += 9; i++; break;             // Long, Double take two slots
                case 7: case 8: case 16: case 19: case 20: p += 3; break; // Class, String, MethodType, Module, Package
                case 15: p += 4; break;                         // MethodHandle
                case 9: case 10: case 11: case 12: case 17: case 18: p += 5; break;
                default: throw new IllegalArgumentException("constant pool tag " + tag);
            }
        }
        this.access = u2(p);
        int superIndex = u2(p + 4);
        this.superName = superIndex == 0 ? null : className(superIndex);
        int interfaceCount = u2(p + 6);
        for (int i = 0; i < interfaceCount; i++) {
            interfaces.add(className(u2(p + 8 + 2 * i)));
        }
    }

    /** @throws IllegalArgumentException for bytes that are not a class file we can read */
    static ClassFileHeader read(byte[] bytes) {
        try {
            return new ClassFileHeader(bytes);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("unreadable class file", e);
        }
    }

    /** The superclass, as an internal name ({@code java/lang/Object}); {@code null} for Object itself. */
    String superName() {
        return superName;
    }

    /** The interfaces the class names directly, as internal names ({@code com/acme/Repo}). */
    List<String> interfaces() {
        return interfaces;
    }

    /** The class's access flags ({@code ACC_SYNTHETIC}, {@code ACC_INTERFACE}, ...). */
    int access() {
        return access;
    }

    /** Whether the class file declares an interface (or an annotation type). */
    boolean isInterface() {
        return (access & 0x0200) != 0;
    }

    /** Whether some UTF-8 constant equals {@code text} (an annotation's descriptor, say). */
    boolean hasUtf8(byte[] text) {
        for (int i = 1; i < offsets.length; i++) {
            int p = offsets[i];
            if (p != 0 && bytes[p] == 1 && u2(p + 1) == text.length && same(p + 3, text)) {
                return true;
            }
        }
        return false;
    }

    private boolean same(int at, byte[] text) {
        for (int i = 0; i < text.length; i++) {
            if (bytes[at + i] != text[i]) {
                return false;
            }
        }
        return true;
    }

    private String className(int classIndex) {
        int nameIndex = u2(offsets[classIndex] + 1);
        int p = offsets[nameIndex];
        return new String(bytes, p + 3, u2(p + 1), StandardCharsets.UTF_8);
    }

    private int u2(int at) {
        return ((bytes[at] & 0xFF) << 8) | (bytes[at + 1] & 0xFF);
    }
}
