package dev.recall.agent.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Exceptions held by value (JSR-107's exception caches): copied in this JVM by {@link ThrowableCopier} and written to
 * a shared store by the codec, each rebuilt of the same class with the same message, stack trace, cause chain,
 * suppressed exceptions and application fields, and independent of the original; refused, saying why, where that
 * cannot be done faithfully.
 */
class ThrowableCopierTest {

    /** An application exception with state of its own, one field mutable. */
    static class Refused extends RuntimeException {
        final int code;
        final List<String> details;

        Refused(int code, List<String> details, Throwable cause) {
            super("refused " + code, cause);
            this.code = code;
            this.details = details;
        }
    }

    static class Computed extends RuntimeException {
        @Override
        public String getMessage() {
            return "computed";
        }
    }

    static class Wrapped extends SQLException {
        Wrapped() {
            super("state kept by java.sql");
        }
    }

    private static Refused sample() {
        Refused r = new Refused(42, new ArrayList<>(List.of("a", "b")), new IOException("disk"));
        r.addSuppressed(new IllegalStateException("while closing"));
        return r;
    }

    @Test
    void aCopyIsTheSameExceptionAndSharesNothingMutable() throws Exception {
        Refused original = sample();
        Refused copy = (Refused) ThrowableCopier.copy(original);
        assertNotSame(original, copy);
        assertEquals(Refused.class, copy.getClass());
        assertEquals("refused 42", copy.getMessage());
        assertArrayEquals(original.getStackTrace(), copy.getStackTrace(), "where it was first thrown, not where it was copied");
        assertEquals(42, copy.code);
        assertEquals(List.of("a", "b"), copy.details);
        assertNotSame(original.details, copy.details);
        assertEquals(IOException.class, copy.getCause().getClass());
        assertNotSame(original.getCause(), copy.getCause());
        assertEquals("disk", copy.getCause().getMessage());
        assertEquals(1, copy.getSuppressed().length);
        assertEquals("while closing", copy.getSuppressed()[0].getMessage());

        copy.addSuppressed(new RuntimeException("a caller's"));
        copy.details.add("c");
        copy.setStackTrace(new StackTraceElement[0]);
        assertEquals(1, original.getSuppressed().length, "the original is untouched");
        assertEquals(List.of("a", "b"), original.details);
        assertTrue(original.getStackTrace().length > 0);
    }

    @Test
    void anExceptionWithoutCauseCanStillBeGivenOne() throws Exception {
        Throwable copy = ThrowableCopier.copy(new IllegalStateException("alone"));
        assertNull(copy.getCause());
        IOException cause = new IOException();
        copy.initCause(cause);
        assertSame(cause, copy.getCause(), "as on the original, whose cause was never set");
    }

    @Test
    void cyclesThroughCausesAreKept() throws Exception {
        IllegalStateException a = new IllegalStateException("a");
        IllegalArgumentException b = new IllegalArgumentException("b", a);
        a.initCause(b);
        Throwable copy = ThrowableCopier.copy(a);
        assertSame(copy, copy.getCause().getCause());
    }

    @Test
    void whatCannotBeCopiedFaithfullyIsRefusedSayingWhy() {
        CodecException own = assertThrows(CodecException.class, () -> ThrowableCopier.copy(new Computed()));
        assertTrue(own.getMessage().contains("overrides getMessage()"), own.getMessage());
        CodecException jdk = assertThrows(CodecException.class, () -> ThrowableCopier.copy(new Wrapped()));
        assertTrue(jdk.getMessage().contains("java.sql.SQLException"), jdk.getMessage());
        CodecException inCause = assertThrows(CodecException.class,
                () -> ThrowableCopier.copy(new IllegalStateException("outer", new Computed())));
        assertTrue(inCause.getMessage().contains("Computed"), inCause.getMessage());
    }

    @Test
    void theValueCopierCopiesAnExceptionHeldInAResult() throws Exception {
        List<Object> result = new ArrayList<>(List.of(sample()));
        @SuppressWarnings("unchecked")
        List<Object> copy = (List<Object>) ValueCopier.copy(result);
        assertNotSame(result.get(0), copy.get(0));
        assertEquals("refused 42", ((Refused) copy.get(0)).getMessage());
    }

    @Test
    void theCodecWritesAndReadsAnException() throws Exception {
        ValueCodec codec = new ValueCodec(ClassAllowlist.of(List.of("dev.recall.agent.codec.**", "java.io.IOException",
                "java.lang.IllegalStateException")));
        Refused original = sample();
        byte[] bytes = codec.encode(original, Throwable.class);
        Refused read = (Refused) codec.decode(bytes, getClass().getClassLoader());
        assertEquals("refused 42", read.getMessage());
        assertEquals(42, read.code);
        assertEquals(List.of("a", "b"), read.details);
        assertArrayEquals(original.getStackTrace(), read.getStackTrace());
        assertEquals("disk", read.getCause().getMessage());
        assertEquals(IOException.class, read.getCause().getClass());
        assertEquals("while closing", read.getSuppressed()[0].getMessage());

        IllegalStateException a = new IllegalStateException("a");
        a.initCause(new IOException("b", a));
        Throwable cyclic = (Throwable) codec.decode(codec.encode(a, Throwable.class), getClass().getClassLoader());
        assertSame(cyclic, cyclic.getCause().getCause());
    }

    @Test
    void theCodecLoadsOnlyExceptionClassesTheAllowlistNames() throws Exception {
        ValueCodec codec = new ValueCodec(ClassAllowlist.of(List.of("dev.recall.agent.codec.**")));
        assertThrows(RejectedClassException.class, () -> codec.encode(sample(), Throwable.class), "its IOException cause");
        byte[] bytes = new ValueCodec(ClassAllowlist.of(List.of("dev.recall.agent.codec.**", "java.io.IOException",
                "java.lang.IllegalStateException"))).encode(sample(), Throwable.class);
        assertThrows(RejectedClassException.class, () -> codec.decode(bytes, getClass().getClassLoader()));
    }
}
