package dev.recall.agent.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The bytes of one payload, read with the encodings of {@link Tag}. Every read checks what is left, so
 * truncated or garbage input ends in a {@link CodecException} rather than an index or size error.
 *
 * <p>Before a container is allocated its declared element count is claimed against an element budget
 * equal to the payload's length: every element of a valid payload takes at least one byte of its own, so
 * no valid payload exceeds it, and garbage nesting cannot make the reader allocate more than a small
 * multiple of the input. One per {@code decode} call; not thread-safe.
 */
final class Input {

    private static final VarHandle SHORTS = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle CHARS = MethodHandles.byteArrayViewVarHandle(char[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private final byte[] buf;
    private int pos;
    private long budget;

    Input(byte[] buf) {
        this.buf = buf;
        this.budget = buf.length;
    }

    static CodecException corrupt(String what) {
        return new CodecException("the cached bytes are not a value this codec wrote (corrupt, truncated, or from an"
                + " incompatible version): " + what);
    }

    int remaining() {
        return buf.length - pos;
    }

    private void need(long n) throws CodecException {
        if (n > buf.length - pos) {
            throw corrupt("needs " + n + " more bytes at offset " + pos + ", " + remaining() + " left");
        }
    }

    int readByte() throws CodecException {
        need(1);
        return buf[pos++] & 0xFF;
    }

    int readVarInt() throws CodecException {
        int v = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            int b = readByte();
            if (shift == 28 && (b & 0xF0) != 0) {
                throw corrupt("varint longer than 32 bits at offset " + (pos - 1));
            }
            v |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw corrupt("unterminated varint");
    }

    long readVarLong() throws CodecException {
        long v = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            int b = readByte();
            if (shift == 63 && (b & 0xFE) != 0) {
                throw corrupt("varint longer than 64 bits at offset " + (pos - 1));
            }
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw corrupt("unterminated varint");
    }

    int readZigZag() throws CodecException {
        int v = readVarInt();
        return (v >>> 1) ^ -(v & 1);
    }

    long readZigZagLong() throws CodecException {
        long v = readVarLong();
        return (v >>> 1) ^ -(v & 1);
    }

    int readInt() throws CodecException {
        need(4);
        int v = (int) INTS.get(buf, pos);
        pos += 4;
        return v;
    }

    long readLong() throws CodecException {
        need(8);
        long v = (long) LONGS.get(buf, pos);
        pos += 8;
        return v;
    }

    float readFloat() throws CodecException {
        return Float.intBitsToFloat(readInt());
    }

    double readDouble() throws CodecException {
        return Double.longBitsToDouble(readLong());
    }

    /** A declared count of elements still to come, claimed against the element budget. */
    int readCount(int bytesPerElement) throws CodecException {
        int n = readVarInt();
        if (n < 0) {
            throw corrupt("negative count " + n);
        }
        need((long) n * bytesPerElement);
        budget -= n;
        if (budget < 0) {
            throw corrupt("declared element counts exceed the payload's size");
        }
        return n;
    }

    String readUtf8() throws CodecException {
        int n = readCount(1);
        String s = new String(buf, pos, n, StandardCharsets.UTF_8);
        pos += n;
        return s;
    }

    String readUtf16() throws CodecException {
        int n = readCount(2);
        char[] chars = new char[n];
        for (int i = 0; i < n; i++) {
            chars[i] = (char) CHARS.get(buf, pos);
            pos += 2;
        }
        return new String(chars);
    }

    byte[] readBytes() throws CodecException {
        int n = readCount(1);
        byte[] b = Arrays.copyOfRange(buf, pos, pos + n);
        pos += n;
        return b;
    }

    boolean[] readBooleans() throws CodecException {
        int n = readCount(1);
        boolean[] a = new boolean[n];
        for (int i = 0; i < n; i++) {
            a[i] = readBoolean();
        }
        return a;
    }

    boolean readBoolean() throws CodecException {
        int b = readByte();
        if (b > 1) {
            throw corrupt("boolean byte " + b);
        }
        return b == 1;
    }

    short[] readShorts() throws CodecException {
        int n = readCount(2);
        short[] a = new short[n];
        for (int i = 0; i < n; i++) {
            a[i] = (short) SHORTS.get(buf, pos);
            pos += 2;
        }
        return a;
    }

    char[] readChars() throws CodecException {
        int n = readCount(2);
        char[] a = new char[n];
        for (int i = 0; i < n; i++) {
            a[i] = (char) CHARS.get(buf, pos);
            pos += 2;
        }
        return a;
    }

    int[] readInts() throws CodecException {
        int n = readCount(4);
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = (int) INTS.get(buf, pos);
            pos += 4;
        }
        return a;
    }

    long[] readLongs() throws CodecException {
        int n = readCount(8);
        long[] a = new long[n];
        for (int i = 0; i < n; i++) {
            a[i] = (long) LONGS.get(buf, pos);
            pos += 8;
        }
        return a;
    }

    float[] readFloats() throws CodecException {
        int n = readCount(4);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = Float.intBitsToFloat((int) INTS.get(buf, pos));
            pos += 4;
        }
        return a;
    }

    double[] readDoubles() throws CodecException {
        int n = readCount(8);
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = Double.longBitsToDouble((long) LONGS.get(buf, pos));
            pos += 8;
        }
        return a;
    }
}
