package dev.recall.agent.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ClassAllowlistTest {

    private static ClassAllowlist of(String... patterns) {
        return ClassAllowlist.of(List.of(patterns));
    }

    @Test
    void doubleStarCoversSubPackagesAndNestedClasses() {
        ClassAllowlist a = of("com.acme.**");
        assertTrue(a.allows("com.acme.Product"));
        assertTrue(a.allows("com.acme.model.deep.Product"));
        assertTrue(a.allows("com.acme.Outer$Inner"));
        assertFalse(a.allows("com.acme"), "the package itself is not a class in it");
        assertFalse(a.allows("com.acmex.Product"));
        assertFalse(a.allows("org.acme.Product"));
    }

    @Test
    void doubleStarInTheMiddleMatchesAnyNumberOfSegments() {
        ClassAllowlist a = of("com.**.model.*");
        assertTrue(a.allows("com.model.Product"), "zero segments");
        assertTrue(a.allows("com.acme.model.Product"));
        assertTrue(a.allows("com.acme.shop.model.Product"));
        assertFalse(a.allows("com.acme.model.sub.Product"));
        assertFalse(a.allows("com.acme.modelx.Product"));
    }

    @Test
    void singleStarStaysWithinOneSegment() {
        ClassAllowlist a = of("com.acme.model.*");
        assertTrue(a.allows("com.acme.model.Product"));
        assertTrue(a.allows("com.acme.model.Product$Status"), "a nested class's binary name is one segment");
        assertFalse(a.allows("com.acme.model.sub.Product"));
        ClassAllowlist dto = of("com.acme.*.api.*Dto");
        assertTrue(dto.allows("com.acme.orders.api.OrderDto"));
        assertTrue(dto.allows("com.acme.orders.api.Dto"));
        assertFalse(dto.allows("com.acme.orders.api.OrderDtoMapper"));
        assertFalse(dto.allows("com.acme.orders.internal.api.OrderDto"));
    }

    @Test
    void exactNamesMatchOnlyThatClass() {
        ClassAllowlist a = of("com.acme.Product", "com.acme.Outer$Inner");
        assertTrue(a.allows("com.acme.Product"));
        assertTrue(a.allows("com.acme.Outer$Inner"));
        assertFalse(a.allows("com.acme.Product$Status"));
        assertFalse(a.allows("com.acme.ProductX"));
        assertFalse(a.allows("com.acme.Outer"));
    }

    @Test
    void patternCharactersOtherThanStarsAreLiteral() {
        ClassAllowlist a = of("com.acme.A$B");
        assertTrue(a.allows("com.acme.A$B"));
        assertFalse(a.allows("com.acme.AB"));
        assertFalse(of("com.acme.Product").allows("comxacme.Product"), "a dot is not a regex wildcard");
    }

    @Test
    void severalPatternsAreAlternatives() {
        ClassAllowlist a = of("com.acme.**", "org.example.Dto");
        assertTrue(a.allows("com.acme.X"));
        assertTrue(a.allows("org.example.Dto"));
        assertFalse(a.allows("org.example.Other"));
        assertEquals(List.of("com.acme.**", "org.example.Dto"), a.patterns());
    }

    @Test
    void jdkValueTypesAreAlwaysAllowedAndNothingElse() {
        ClassAllowlist none = of();
        for (String name : List.of("java.lang.String", "java.lang.Integer", "java.math.BigDecimal", "java.util.UUID",
                "java.time.Instant", "java.time.ZonedDateTime", "java.util.Date", "java.lang.Object", "java.time.DayOfWeek",
                "java.util.Locale", "java.net.URI")) {
            assertTrue(none.allows(name), name);
        }
        for (String name : List.of("java.lang.Runtime", "java.lang.ProcessBuilder", "java.util.Properties", "javax.naming.InitialContext",
                "java.lang.Thread", "com.acme.Product", "")) {
            assertFalse(none.allows(name), name);
        }
    }

    @Test
    void whitespaceAroundPatternsIsIgnored() {
        assertTrue(of("  com.acme.**  ").allows("com.acme.X"));
    }

    @Test
    void answersStayRightPastTheMemoLimit() {
        ClassAllowlist a = of("com.acme.**");
        for (int i = 0; i < 10_000; i++) {
            assertEquals(i % 2 == 0, a.allows((i % 2 == 0 ? "com.acme.C" : "org.other.C") + i));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "com..acme", ".com.acme", "com.acme.", "**", "*.acme.Product", "*", "com.acme**",
            "com.**acme.X", "com.a***", "com.acme-model.**", "com.acme.Product()", "com/acme/Product", "com.acme.Prod uct"})
    void malformedPatternsAreRejectedWithAHint(String pattern) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> of(pattern));
        assertTrue(e.getMessage().contains("'" + pattern.trim() + "'"), e.getMessage());
        assertTrue(e.getMessage().contains("com.acme.model.**"), "says what to write: " + e.getMessage());
    }

    @Test
    void nullListOrEntryIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> ClassAllowlist.of(null));
        assertThrows(IllegalArgumentException.class, () -> ClassAllowlist.of(Arrays.asList("com.acme.**", null)));
    }

    @Test
    void suggestionIsThePackageWithDoubleStar() {
        assertEquals("com.acme.model.**", RejectedClassException.suggestion("com.acme.model.Product$Status"));
        assertEquals("Product", RejectedClassException.suggestion("Product"));
        assertEquals("java.util.Locale", RejectedClassException.suggestion("java.util.Locale"), "never a whole JDK package");
        assertEquals("javax.naming.InitialContext", RejectedClassException.suggestion("javax.naming.InitialContext"));
    }
}
