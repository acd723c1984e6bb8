package dev.recall.agent.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A growable byte array with the encodings of {@link Tag}. One per {@code encode} call; not thread-safe. */
final class Output {

    private static final VarHandle SHORTS = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle CHARS = MethodHandles.byteArrayViewVarHandle(char[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    /** Arrays a little under Integer.MAX_VALUE are all some JVMs can allocate. */
    private static final int MAX_SIZE = Integer.MAX_VALUE - 16;

    private byte[] buf;
    private int pos;

    Output(int capacity) {
        buf = new byte[capacity];
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, pos);
    }

    private void ensure(int n) throws CodecException {
        if (n > buf.length - pos) {
            long need = (long) pos + n;
            if (need > MAX_SIZE) {
                throw new CodecException("the value encodes to more than " + MAX_SIZE + " bytes");
            }
            buf = Arrays.copyOf(buf, (int) Math.min(MAX_SIZE, Math.max(need, buf.length * 2L)));
        }
    }

    void writeByte(int b) throws CodecException {
        ensure(1);
        buf[pos++] = (byte) b;
    }

    void writeVarInt(int v) throws CodecException {
        ensure(5);
        while ((v & ~0x7F) != 0) {
            buf[pos++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[pos++] = (byte) v;
    }

    void writeZigZag(int v) throws CodecException {
        writeVarInt((v << 1) ^ (v >> 31));
    }

    void writeVarLong(long v) throws CodecException {
        ensure(10);
        while ((v & ~0x7FL) != 0) {
            buf[pos++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[pos++] = (byte) v;
    }

    void writeZigZag(long v) throws CodecException {
        writeVarLong((v << 1) ^ (v >> 63));
    }

    void writeInt(int v) throws CodecException {
        ensure(4);
        INTS.set(buf, pos, v);
        pos += 4;
    }

    void writeLong(long v) throws CodecException {
        ensure(8);
        LONGS.set(buf, pos, v);
        pos += 8;
    }

    void writeFloat(float v) throws CodecException {
        writeInt(Float.floatToRawIntBits(v));
    }

    void writeDouble(double v) throws CodecException {
        writeLong(Double.doubleToRawLongBits(v));
    }

    /** Count then bytes. */
    void writeBytes(byte[] b) throws CodecException {
        writeVarInt(b.length);
        ensure(b.length);
        System.arraycopy(b, 0, buf, pos, b.length);
        pos += b.length;
    }

    /** Byte count then UTF-8; only for strings without unpaired surrogates, which UTF-8 would turn into '?'. */
    void writeUtf8(String s) throws CodecException {
        writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Char count then UTF-16 code units, for any string. */
    void writeUtf16(String s) throws CodecException {
        int n = s.length();
        writeVarInt(n);
        ensure(checkedBytes(n, 2));
        for (int i = 0; i < n; i++) {
            CHARS.set(buf, pos, s.charAt(i));
            pos += 2;
        }
    }

    void writeArray(boolean[] a) throws CodecException {
        writeVarInt(a.length);
        ensure(a.length);
        for (boolean b : a) {
            buf[pos++] = (byte) (b ? 1 : 0);
        }
    }

    void writeArray(byte[] a) throws CodecException {
        writeBytes(a);
    }

    void writeArray(short[] a) throws CodecException {
        writeVarInt(a.length);
        ensure(checkedBytes(a.length, 2));
        for (short v : a) {
            SHORTS.set(buf, pos, v);
            pos += 2;
        }
    }

    void writeArray(char[] a) throws CodecException {
        writeVarInt(a.length);
        ensure(checkedBytes(a.length, 2));
        for (char v : a) {
            CHARS.set(buf, pos, v);
            pos += 2;
        }
    }

    void writeArray(int[] a) throws CodecException {
        writeVarInt(a.length);
        ensure(checkedBytes(a.length, 4));
        for (int v : a) {
            INTS.set(buf, pos, v);
            pos += 4;
        }
    }

    void writeArray(long[] a) throws CodecException {
        writeVarInt(a.length);
        ensure(checkedBytes(a.length, 8));
        for (long v : a) {
            LONGS.set(buf, pos, v);
            pos += 8;
        }
    }

    void writeArray(float[] a) throws CodecException {
        writeVarInt(a.length);
        ensure(checkedBytes(a.length, 4));
        for (float v : a) {
            INTS.set(buf, pos, Float.floatToRawIntBits(v));
            pos += 4;
        }
    }

    void writeArray(double[] a) throws CodecException {
        writeVarInt(a.length);
        ensure(checkedBytes(a.length, 8));
        for (double v : a) {
            LONGS.set(buf, pos, Double.doubleToRawLongBits(v));
            pos += 8;
        }
    }

    private static int checkedBytes(int count, int width) throws CodecException {
        long bytes = (long) count * width;
        if (bytes > MAX_SIZE) {
            throw new CodecException("the value encodes to more than " + MAX_SIZE + " bytes");
        }
        return (int) bytes;
    }
}
