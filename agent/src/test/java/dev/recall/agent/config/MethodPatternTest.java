package dev.recall.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class MethodPatternTest {

    private static final List<String> TWO_STRINGS = List.of("java.lang.String", "java.lang.String");

    private static IllegalArgumentException parseError(String text) {
        return assertThrows(IllegalArgumentException.class, () -> MethodPattern.parse(text));
    }

    @Test
    void exactSignatureMatchesItsClassAndMethod() {
        MethodPattern p = MethodPattern.parse("com.acme.fx.RatesClient#rate(java.lang.String, java.lang.String)");
        assertTrue(p.matchesType("com.acme.fx.RatesClient"));
        assertTrue(p.matchesMethod("rate", TWO_STRINGS));
    }

    @Test
    void exactSignatureRejectsOtherClassesAndMethods() {
        MethodPattern p = MethodPattern.parse("com.acme.fx.RatesClient#rate(java.lang.String, java.lang.String)");
        assertFalse(p.matchesType("com.acme.fx.RatesClientImpl"));
        assertFalse(p.matchesType("com.acme.fx.Rates"));
        assertFalse(p.matchesType("org.acme.fx.RatesClient"));
        assertFalse(p.matchesMethod("rates", TWO_STRINGS));
        assertFalse(p.matchesMethod("rat", TWO_STRINGS));
    }

    @Test
    void dotsInTheClassPartAreLiteral() {
        MethodPattern p = MethodPattern.parse("com.acme.Foo#bar(..)");
        assertFalse(p.matchesType("comXacme.Foo"));
    }

    @Test
    void exactSignatureRejectsOtherParameterTypesAndCounts() {
        MethodPattern p = MethodPattern.parse("com.acme.fx.RatesClient#rate(java.lang.String, java.lang.String)");
        assertFalse(p.matchesMethod("rate", List.of("java.lang.String")));
        assertFalse(p.matchesMethod("rate", List.of("java.lang.String", "java.lang.Object")));
        assertFalse(p.matchesMethod("rate", List.of("java.lang.String", "java.lang.String", "java.lang.String")));
        assertFalse(p.matchesMethod("rate", List.of()));
    }

    @Test
    void simpleParameterNameMatchesTheQualifiedType() {
        MethodPattern p = MethodPattern.parse("com.acme.fx.RatesClient#rate(String, String)");
        assertTrue(p.matchesMethod("rate", TWO_STRINGS));
        assertTrue(p.matchesMethod("rate", List.of("com.acme.String", "java.lang.String")));
    }

    @Test
    void simpleParameterNameDoesNotMatchADifferentSimpleName() {
        MethodPattern p = MethodPattern.parse("com.acme.Foo#bar(String)");
        assertFalse(p.matchesMethod("bar", List.of("java.lang.CharSequence")));
        // suffix must be a whole simple name, not a part of one
        assertFalse(p.matchesMethod("bar", List.of("com.acme.MyString")));
    }

    @Test
    void qualifiedParameterNameDoesNotMatchAnotherPackage() {
        MethodPattern p = MethodPattern.parse("com.acme.Foo#bar(com.acme.Product)");
        assertTrue(p.matchesMethod("bar", List.of("com.acme.Product")));
        assertFalse(p.matchesMethod("bar", List.of("org.other.Product")));
    }

    @Test
    void primitiveParameterMatchesOnlyThePrimitive() {
        MethodPattern p = MethodPattern.parse("com.acme.repo.ProductRepository#delete(long)");
        assertTrue(p.matchesMethod("delete", List.of("long")));
        assertFalse(p.matchesMethod("delete", List.of("java.lang.Long")));
        assertFalse(p.matchesMethod("delete", List.of("int")));
    }

    @Test
    void anyParametersMatchesEveryArity() {
        MethodPattern p = MethodPattern.parse("com.acme.Foo#bar(..)");
        assertTrue(p.matchesMethod("bar", List.of()));
        assertTrue(p.matchesMethod("bar", List.of("int")));
        assertTrue(p.matchesMethod("bar", List.of("java.lang.String", "long", "byte[]")));
    }

    @Test
    void emptyParameterListMatchesOnlyNoParameters() {
        MethodPattern p = MethodPattern.parse("com.acme.Foo#bar()");
        assertTrue(p.matchesMethod("bar", List.of()));
        assertFalse(p.matchesMethod("bar", List.of("int")));
    }

    @Test
    void singleStarInClassStaysWithinOnePackageSegment() {
        MethodPattern p = MethodPattern.parse("com.acme.repo.*Repository#find*(..)");
        assertTrue(p.matchesType("com.acme.repo.ProductRepository"));
        assertTrue(p.matchesType("com.acme.repo.Repository"));
        assertFalse(p.matchesType("com.acme.repo.sub.ProductRepository"));
        assertFalse(p.matchesType("com.acme.repo.ProductRepositoryImpl"));
    }

    @Test
    void starInMethodNameMatchesAnySuffix() {
        MethodPattern p = MethodPattern.parse("com.acme.repo.*Repository#find*(..)");
        assertTrue(p.matchesMethod("findById", List.of("long")));
        assertTrue(p.matchesMethod("find", List.of()));
        assertFalse(p.matchesMethod("save", List.of("java.lang.Object")));
        assertFalse(p.matchesMethod("refind", List.of()));
    }

    @Test
    void doubleStarInClassCrossesPackageSegments() {
        MethodPattern p = MethodPattern.parse("com.acme.**#find*(..)");
        assertTrue(p.matchesType("com.acme.repo.sub.ProductRepository"));
        assertTrue(p.matchesType("com.acme.repo.ProductRepository"));
        assertFalse(p.matchesType("org.acme.repo.ProductRepository"));
        assertTrue(p.matchesMethod("findById", List.of("long")));
    }

    @Test
    void nestedClassWrittenWithDollarMatchesBinaryName() {
        MethodPattern p = MethodPattern.parse("com.acme.Outer$Inner#get()");
        assertTrue(p.matchesType("com.acme.Outer$Inner"));
        assertFalse(p.matchesType("com.acme.Outer"));
    }

    @Test
    void nestedClassWrittenWithDotMatchesBinaryName() {
        MethodPattern p = MethodPattern.parse("com.acme.Outer.Inner#get()");
        assertTrue(p.matchesType("com.acme.Outer$Inner"));
    }

    @Test
    void nestedClassParameterMatchesEitherSpelling() {
        MethodPattern dollar = MethodPattern.parse("com.acme.Foo#bar(com.acme.Outer$Inner)");
        MethodPattern dot = MethodPattern.parse("com.acme.Foo#bar(com.acme.Outer.Inner)");
        assertTrue(dollar.matchesMethod("bar", List.of("com.acme.Outer$Inner")));
        assertTrue(dot.matchesMethod("bar", List.of("com.acme.Outer$Inner")));
        assertTrue(dollar.matchesMethod("bar", List.of("com.acme.Outer.Inner")));
    }

    @Test
    void methodNameWithDollarIsLiteral() {
        MethodPattern p = MethodPattern.parse("com.acme.Foo#lambda$run(..)");
        assertTrue(p.matchesMethod("lambda$run", List.of()));
        assertFalse(p.matchesMethod("lambda", List.of()));
    }

    @Test
    void arrayParameterMatchesArrayType() {
        MethodPattern p = MethodPattern.parse("com.acme.Foo#hash(byte[])");
        assertTrue(p.matchesMethod("hash", List.of("byte[]")));
        assertFalse(p.matchesMethod("hash", List.of("byte")));
        assertFalse(p.matchesMethod("hash", List.of("byte[][]")));
    }

    @Test
    void varargsEqualsArrayOfTheQualifiedType() {
        MethodPattern p = MethodPattern.parse("com.acme.Foo#join(String...)");
        assertTrue(p.matchesMethod("join", List.of("java.lang.String[]")));
        assertFalse(p.matchesMethod("join", List.of("java.lang.String")));
    }

    @Test
    void qualifiedVarargsEqualsArray() {
        MethodPattern p = MethodPattern.parse("com.acme.Foo#join(java.lang.String...)");
        assertTrue(p.matchesMethod("join", List.of("java.lang.String[]")));
    }

    @Test
    void exactClassNameIsTheClassWithoutWildcards() {
        assertEquals("com.acme.fx.RatesClient",
                MethodPattern.parse("com.acme.fx.RatesClient#rate(..)").exactClassName());
    }

    @Test
    void exactClassNameOfANestedClassUsesDots() {
        assertEquals("com.acme.Outer.Inner", MethodPattern.parse("com.acme.Outer$Inner#get()").exactClassName());
    }

    @Test
    void exactClassNameIsNullWithAWildcard() {
        assertNull(MethodPattern.parse("com.acme.repo.*Repository#find(..)").exactClassName());
        assertNull(MethodPattern.parse("com.acme.**#find(..)").exactClassName());
    }

    @Test
    void exactClassNameIgnoresWildcardsInTheMethodName() {
        assertEquals("com.acme.Foo", MethodPattern.parse("com.acme.Foo#find*(..)").exactClassName());
    }

    @Test
    void surroundingWhitespaceIsIgnored() {
        MethodPattern p = MethodPattern.parse("  com.acme.Foo#bar( long )  ");
        assertTrue(p.matchesType("com.acme.Foo"));
        assertTrue(p.matchesMethod("bar", List.of("long")));
    }

    @Test
    void toStringIsTheTextAsWritten() {
        assertEquals("com.acme.Foo#bar(..)", MethodPattern.parse("com.acme.Foo#bar(..)").toString());
    }

    @Test
    void missingHashSuggestsTheHashForm() {
        IllegalArgumentException e = parseError("com.acme.Foo.bar(..)");
        assertTrue(e.getMessage().contains("no '#'"), e.getMessage());
        assertTrue(e.getMessage().contains("did you mean 'com.acme.Foo#bar(..)'"), e.getMessage());
        assertTrue(e.getMessage().contains(MethodPattern.FORM), e.getMessage());
    }

    @Test
    void missingHashWithoutParenthesesStillShowsTheForm() {
        IllegalArgumentException e = parseError("com.acme.Foo");
        assertTrue(e.getMessage().contains("'com.acme.Foo'"), e.getMessage());
        assertTrue(e.getMessage().contains(MethodPattern.FORM), e.getMessage());
    }

    @Test
    void missingParameterListIsReportedWithTheAnyForm() {
        IllegalArgumentException e = parseError("com.acme.Foo#bar");
        assertTrue(e.getMessage().contains("no parameter list"), e.getMessage());
        assertTrue(e.getMessage().contains("'(..)'"), e.getMessage());
    }

    @Test
    void unclosedParameterListIsReported() {
        IllegalArgumentException e = parseError("com.acme.Foo#bar(long");
        assertTrue(e.getMessage().contains("no parameter list"), e.getMessage());
    }

    @Test
    void parameterListBeforeTheHashIsReported() {
        IllegalArgumentException e = parseError("com.acme.Foo(long)#bar");
        assertTrue(e.getMessage().contains("no parameter list"), e.getMessage());
    }

    @Test
    void parameterWithANameIsNotATypeAndTheMessageSaysWhatToWrite() {
        IllegalArgumentException e = parseError("com.acme.Foo#bar(java.lang.String id)");
        assertTrue(e.getMessage().contains("'java.lang.String id' is not a parameter type"), e.getMessage());
        assertTrue(e.getMessage().contains("(..)"), e.getMessage());
    }

    @Test
    void genericParameterIsNotAType() {
        IllegalArgumentException e = parseError("com.acme.Foo#bar(List<String>)");
        assertTrue(e.getMessage().contains("'List<String>' is not a parameter type"), e.getMessage());
    }

    @Test
    void emptyParameterBetweenCommasIsNotAType() {
        parseError("com.acme.Foo#bar(long,,long)");
    }

    @Test
    void trailingCommaInTheParameterListIsNotAType() {
        // '(long,)' must not silently become '(long)': a missing type is as wrong as an empty one between commas.
        parseError("com.acme.Foo#bar(long,)");
    }

    @Test
    void emptyClassPartIsReported() {
        IllegalArgumentException e = parseError("#bar()");
        assertTrue(e.getMessage().contains("not a class name"), e.getMessage());
    }

    @Test
    void emptyMethodPartIsReported() {
        IllegalArgumentException e = parseError("com.acme.Foo#()");
        assertTrue(e.getMessage().contains("not a method name"), e.getMessage());
    }

    @Test
    void nullIsRejected() {
        parseError(null);
    }

    // Issue 25: matching without backtracking, a bound on length, Java's own names.

    /** Today's semantics, as the regular expression the matcher replaced spelled them, on small inputs only. */
    private static boolean byRegex(String classPattern, String name) {
        StringBuilder b = new StringBuilder();
        String cls = classPattern.replace('$', '.');
        for (int i = 0; i < cls.length(); i++) {
            char c = cls.charAt(i);
            if (c == '*') {
                if (i + 1 < cls.length() && cls.charAt(i + 1) == '*') {
                    b.append(".*");
                    i++;
                } else {
                    b.append("[^.]*");
                }
            } else {
                b.append(java.util.regex.Pattern.quote(String.valueOf(c)));
            }
        }
        return java.util.regex.Pattern.matches(b.toString(), name.replace('$', '.'));
    }

    @Test
    void starsMatchExactlyAsTheRegularExpressionDidOnThousandsOfRandomPatternsAndNames() {
        java.util.Random random = new java.util.Random(25);
        String alphabet = "ab.*";
        int compared = 0;
        for (int i = 0; i < 20_000; i++) {
            StringBuilder pattern = new StringBuilder("a");
            for (int j = random.nextInt(7); j > 0; j--) {
                pattern.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String classPattern = pattern.toString();
            while (classPattern.contains("..")) {
                classPattern = classPattern.replace("..", ".a.");
            }
            if (classPattern.endsWith(".")) {
                classPattern += "b";
            }
            StringBuilder name = new StringBuilder("a");
            for (int j = random.nextInt(9); j > 0; j--) {
                name.append("ab.".charAt(random.nextInt(3)));
            }
            MethodPattern p = MethodPattern.parse(classPattern + "#m(..)");
            assertEquals(byRegex(classPattern, name.toString()), p.matchesType(name.toString()),
                    classPattern + " against " + name);
            compared++;
        }
        assertEquals(20_000, compared);
    }

    @Test
    void thirtyStarsDoNotBacktrack() {
        // The regular expression took 11 s for 22 stars against this name and never finished for 30.
        MethodPattern p = MethodPattern.parse("com.acme." + "*".repeat(30) + "Q#rate(..)");
        String name = "com.acme." + "x".repeat(60);
        long began = System.nanoTime();
        for (int i = 0; i < 1_000; i++) {
            assertFalse(p.matchesType(name));
        }
        assertTrue(p.matchesType("com.acme." + "x".repeat(60) + "Q"));
        assertTrue(p.matchesType("com.acme.x.y.Q"));
        assertFalse(p.matchesType("com.acme." + "x.".repeat(30) + "QR"));
        long millis = (System.nanoTime() - began) / 1_000_000;
        assertTrue(millis < 5_000, "1,000 matches took " + millis + " ms");
        MethodPattern alternating = MethodPattern.parse("com.acme.*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b#m*(..)");
        assertFalse(alternating.matchesType("com.acme." + "a".repeat(200)));
        assertTrue(alternating.matchesType("com.acme." + "a".repeat(30) + "b"));
    }

    @Test
    void aPatternLongerThanTheLimitIsAClearError() {
        IllegalArgumentException e = parseError("com.acme." + "X".repeat(1_000_000) + "#rate(..)");
        assertTrue(e.getMessage().startsWith("a method pattern of 1000018 characters is too long: at most 1000"), e.getMessage());
        MethodPattern.parse("com.acme." + "X".repeat(MethodPattern.MAX_LENGTH - 18) + "#rate(..)");
    }

    @Test
    void unicodeJavaNamesAreAccepted() {
        MethodPattern p = MethodPattern.parse("com.acme.café.Menü#prix(java.lang.String, com.acme.café.Größe)");
        assertTrue(p.matchesType("com.acme.café.Menü"));
        assertTrue(p.matchesMethod("prix", List.of("java.lang.String", "com.acme.café.Größe")));
        assertTrue(MethodPattern.parse("com.acme.日本.*#取得*(..)").matchesType("com.acme.日本.サービス"));
        assertTrue(MethodPattern.parse("com.acme.Δ$Inner#_m$1(..)").matchesType("com.acme.Δ$Inner"));
    }

    @Test
    void whatJavaRejectsInANameIsRejectedNamingTheCharacter() {
        assertTrue(parseError("com.acme.1Foo#m(..)").getMessage().contains("'1' at character 10 is not allowed"));
        assertTrue(parseError("com.acme.Fo-o#m(..)").getMessage().contains("'-' at character 12"));
        assertTrue(parseError("com..acme.Foo#m(..)").getMessage().contains("empty part"));
        assertTrue(parseError("com.acme.Foo#m§(..)").getMessage().contains("U+00A7 SECTION SIGN at character 2"),
                parseError("com.acme.Foo#m§(..)").getMessage());
        MethodPattern.parse("com.acme.Foo#m€(..)"); // a currency sign is a letter to Java
    }

    @Test
    void invisibleAndOddSpaceCharactersAreNamedByCodePoint() {
        IllegalArgumentException zw = parseError("com.acme.Fo\u200Bo#m(..)");
        assertTrue(zw.getMessage().contains("U+200B ZERO WIDTH SPACE (an invisible character) at character 12"), zw.getMessage());
        IllegalArgumentException nbsp = parseError("com.acme.Foo#m(String,\u00A0long)");
        assertTrue(nbsp.getMessage().contains("U+00A0 NO-BREAK SPACE"), nbsp.getMessage());
        IllegalArgumentException bom = parseError("\uFEFFcom.acme.Foo#m(..)");
        assertTrue(bom.getMessage().contains("U+FEFF"), bom.getMessage());
    }
}
