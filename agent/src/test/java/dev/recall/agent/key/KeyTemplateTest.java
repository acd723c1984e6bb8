package dev.recall.agent.key;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KeyTemplateTest {

    // ---- argument types for property paths ----

    public record Customer(long id, String country) {
    }

    public static class Order {
        private final Customer customer;
        private final long number;

        public Order(Customer customer, long number) {
            this.customer = customer;
            this.number = number;
        }

        public Customer getCustomer() {
            return customer;
        }

        public long getNumber() {
            return number;
        }
    }

    public static class Account {
        private final boolean active;

        public Account(boolean active) {
            this.active = active;
        }

        public boolean isActive() {
            return active;
        }
    }

    public static class PublicFieldHolder {
        public String name;

        public PublicFieldHolder(String name) {
            this.name = name;
        }
    }

    public static class PrivateFieldHolder {
        private final String code;

        public PrivateFieldHolder(String code) {
            this.code = code;
        }
    }

    public static class PrivateFieldSubclass extends PrivateFieldHolder {
        public PrivateFieldSubclass(String code) {
            super(code);
        }
    }

    public record Product(Long id, String sku) {
    }

    public static class Broken {
        public String getName() {
            throw new IllegalStateException("no name today");
        }
    }

    /** Package-private, with a public getter: the generated accessor needs the class's own lookup. */
    static final class Hidden {
        public String getName() {
            return "hidden";
        }
    }

    // ---- helpers ----

    private static KeyTemplate compile(String template, String... names) throws TemplateException {
        return KeyTemplate.compile(template, Arrays.asList(names), null);
    }

    /** The key for a call, passing arguments the way the advice does for the method's arity. */
    private static Object key(KeyTemplate t, int arity, Object... args) {
        if (arity == 1) {
            return t.function().key(null, args[0], null, null);
        }
        if (arity == 2) {
            return t.function().key(null, args[0], args[1], null);
        }
        return t.function().key(null, null, null, args);
    }

    private static TemplateException compileError(String template, String... names) {
        return assertThrows(TemplateException.class, () -> compile(template, names));
    }

    private static void assertContains(String expected, String actual) {
        assertTrue(actual.contains(expected), () -> "expected '" + expected + "' in: " + actual);
    }

    // ---- empty template: all arguments ----

    @Test
    void emptyTemplateWithoutParametersIsTheNoArgumentsConstant() throws TemplateException {
        KeyTemplate t = compile("");
        assertSame(Keys.NO_ARGUMENTS, t.function().key(null, null, null, new Object[0]));
    }

    @Test
    void emptyTemplateWithOneParameterIsTheArgumentItself() throws TemplateException {
        KeyTemplate t = compile("", "id");
        Long id = 42L;
        assertSame(id, key(t, 1, id));
    }

    @Test
    void emptyTemplateWithOneNullArgumentIsTheNullConstant() throws TemplateException {
        KeyTemplate t = compile("", "id");
        assertSame(Keys.NULL, t.function().key(null, null, null, null));
    }

    @Test
    void emptyTemplateWithOneArrayArgumentComparesByContent() throws TemplateException {
        KeyTemplate t = compile("", "bytes");
        Object a = key(t, 1, (Object) new byte[] {1, 2});
        Object b = key(t, 1, (Object) new byte[] {1, 2});
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, key(t, 1, (Object) new byte[] {1, 3}));
    }

    @Test
    void nullTemplateIsTheEmptyTemplate() throws TemplateException {
        KeyTemplate t = KeyTemplate.compile(null, List.of("a", "b"), null);
        assertEquals("", t.text());
        assertEquals(Set.of(0, 1), t.usedParameters());
    }

    @Test
    void emptyTemplateWithTwoParametersGivesEqualKeysForEqualArguments() throws TemplateException {
        KeyTemplate t = compile("", "a", "b");
        Object k1 = key(t, 2, "x", 7);
        Object k2 = key(t, 2, new String("x"), 7);
        assertEquals(k1, k2);
        assertEquals(k1.hashCode(), k2.hashCode());
    }

    @Test
    void emptyTemplateWithTwoParametersDistinguishesDifferentArguments() throws TemplateException {
        KeyTemplate t = compile("", "a", "b");
        assertNotEquals(key(t, 2, "x", 7), key(t, 2, "x", 8));
        assertNotEquals(key(t, 2, "x", 7), key(t, 2, 7, "x"));
    }

    @Test
    void emptyTemplateWithTwoParametersComparesArraysByContent() throws TemplateException {
        KeyTemplate t = compile("", "ids", "name");
        Object k1 = key(t, 2, new int[] {1, 2}, "n");
        Object k2 = key(t, 2, new int[] {1, 2}, "n");
        assertEquals(k1, k2);
        assertEquals(k1.hashCode(), k2.hashCode());
        assertNotEquals(k1, key(t, 2, new int[] {2, 1}, "n"));
    }

    @Test
    void emptyTemplateWithTwoParametersAcceptsNulls() throws TemplateException {
        KeyTemplate t = compile("", "a", "b");
        assertEquals(key(t, 2, null, null), key(t, 2, null, null));
        assertNotEquals(key(t, 2, null, "x"), key(t, 2, "x", null));
    }

    @Test
    void emptyTemplateUsesEveryParameter() throws TemplateException {
        assertEquals(Set.of(0, 1, 2), compile("", "a", "b", "c").usedParameters());
        assertEquals(Set.of(), compile("").usedParameters());
    }

    @Test
    void emptyTemplateToStringSaysAllArguments() throws TemplateException {
        assertEquals("(all arguments)", compile("", "a").toString());
    }

    // ---- placeholders ----

    @Test
    void positionalPlaceholderReturnsTheRawArgument() throws TemplateException {
        KeyTemplate t = compile("{0}", "id");
        Long id = 42L;
        assertSame(id, key(t, 1, id));
    }

    @Test
    void positionalPlaceholderOfATwoParameterMethodReadsThatArgument() throws TemplateException {
        assertEquals("b", key(compile("{1}", "x", "y"), 2, "a", "b"));
        assertEquals("a", key(compile("{0}", "x", "y"), 2, "a", "b"));
    }

    @Test
    void readerKeyedByIdMeetsWriterKeyedByPropertyPath() throws TemplateException {
        KeyTemplate reader = compile("{0}", "id");
        KeyTemplate writer = compile("{0.id}", "product");
        Object readKey = key(reader, 1, 7L);
        Object writeKey = key(writer, 1, new Product(7L, "A1"));
        assertEquals(readKey, writeKey);
        assertEquals(readKey.hashCode(), writeKey.hashCode());
    }

    @Test
    void placeholderByParameterName() throws TemplateException {
        KeyTemplate t = compile("{id}", "name", "id");
        assertEquals(5, key(t, 2, "n", 5));
        assertEquals(Set.of(1), t.usedParameters());
    }

    @Test
    void placeholderOfANullArgumentIsTheNullConstant() throws TemplateException {
        assertSame(Keys.NULL, key(compile("{1}", "a", "b"), 2, "a", null));
    }

    @Test
    void placeholderOfAnArrayArgumentComparesByContent() throws TemplateException {
        KeyTemplate t = compile("{0}", "ids", "flag");
        assertEquals(key(t, 2, new long[] {1, 2}, true), key(t, 2, new long[] {1, 2}, false));
    }

    @Test
    void literalTextAndPlaceholdersRenderToAString() throws TemplateException {
        KeyTemplate t = compile("sku:{sku}:{currency}", "sku", "currency");
        assertEquals("sku:A1:EUR", Keys.render(key(t, 2, "A1", "EUR")));
    }

    @Test
    void positionalPlaceholdersRenderToAString() throws TemplateException {
        assertEquals("USD:EUR", Keys.render(key(compile("{0}:{1}", "from", "to"), 2, "USD", "EUR")));
    }

    @Test
    void literalTextWithOneParameterMethod() throws TemplateException {
        assertEquals("user-17", Keys.render(key(compile("user-{0}", "id"), 1, 17)));
    }

    @Test
    void nullArgumentRendersAsNullInsideText() throws TemplateException {
        assertEquals("k:null", Keys.render(key(compile("k:{0}", "a", "b"), 2, null, "b")));
    }

    @Test
    void arrayArgumentRendersByContentInsideText() throws TemplateException {
        assertEquals("k:[1, 2]", Keys.render(key(compile("k:{0}", "ids", "x"), 2, new int[] {1, 2}, "x")));
    }

    @Test
    void literalOnlyTemplateIsTheSameKeyForEveryCall() throws TemplateException {
        KeyTemplate t = compile("all", "a");
        assertEquals("all", Keys.render(key(t, 1, "x")));
        assertEquals("all", Keys.render(key(t, 1, "y")));
        assertEquals(Set.of(), t.usedParameters());
    }

    @Test
    void doubledBracesAreLiteralBraces() throws TemplateException {
        assertEquals("{0}", Keys.render(key(compile("{{0}}", "a"), 1, "x")));
    }

    @Test
    void doubledBracesAroundAPlaceholder() throws TemplateException {
        assertEquals("{x}", Keys.render(key(compile("{{{0}}}", "a"), 1, "x")));
    }

    @Test
    void templateIsTrimmed() throws TemplateException {
        KeyTemplate t = compile("  {0}  ", "a");
        assertEquals("{0}", t.text());
        assertEquals("{0}", t.toString());
    }

    @Test
    void usedParametersAreThePositionsTheTemplateReads() throws TemplateException {
        assertEquals(Set.of(0, 2), compile("{2}:{0.id}:{2}", "a", "b", "c").usedParameters());
        assertEquals(Set.of(1), compile("{currency}", "sku", "currency").usedParameters());
    }

    // ---- property paths ----

    @Test
    void propertyPathThroughAJavaBeanGetter() throws TemplateException {
        assertEquals(12L, key(compile("{0.number}", "order"), 1, new Order(new Customer(1, "DE"), 12)));
    }

    @Test
    void propertyPathThroughARecordComponent() throws TemplateException {
        assertEquals("DE", key(compile("{0.country}", "customer"), 1, new Customer(1, "DE")));
    }

    @Test
    void propertyPathThroughABooleanIsGetter() throws TemplateException {
        assertEquals(Boolean.TRUE, key(compile("{0.active}", "account"), 1, new Account(true)));
    }

    @Test
    void propertyPathThroughAPublicField() throws TemplateException {
        assertEquals("ann", key(compile("{0.name}", "holder"), 1, new PublicFieldHolder("ann")));
    }

    @Test
    void propertyPathThroughAPrivateField() throws TemplateException {
        assertEquals("c-9", key(compile("{0.code}", "holder"), 1, new PrivateFieldHolder("c-9")));
    }

    @Test
    void propertyPathThroughAPrivateFieldOfASuperclass() throws TemplateException {
        assertEquals("c-9", key(compile("{0.code}", "holder"), 1, new PrivateFieldSubclass("c-9")));
    }

    @Test
    void nestedPropertyPath() throws TemplateException {
        Order order = new Order(new Customer(77, "FR"), 1);
        assertEquals(77L, key(compile("{0.customer.id}", "order"), 1, order));
    }

    @Test
    void nestedPropertyPathFromAParameterName() throws TemplateException {
        Order order = new Order(new Customer(77, "FR"), 1);
        assertEquals("c77/FR", Keys.render(key(compile("c{order.customer.id}/{order.customer.country}", "tenant", "order"),
                2, "t", order)));
    }

    record Repo(Class<?> entity, String table) {
    }

    @Test
    void thisNamesTheReceiversStateThatMatters() throws TemplateException {
        KeyTemplate t = compile("{this.table}:{0}", "id");
        assertTrue(t.usesReceiver());
        assertEquals(java.util.Set.of(0), t.usedParameters(), "the receiver is not a parameter");
        assertEquals("owners:1", Keys.render(t.function().key(new Repo(Object.class, "owners"), 1L, null, null)));
        assertEquals("vets:1", Keys.render(t.function().key(new Repo(Object.class, "vets"), 1L, null, null)));
        assertFalse(compile("{0}", "id").usesReceiver());
    }

    @Test
    void aParameterNamedThisWouldWinButNoneCanBe() throws TemplateException {
        // 'this' is a keyword, so no parameter carries it: {this} always means the receiver.
        assertTrue(compile("{this}", "id").usesReceiver());
    }

    /** Contract: a property path that meets null runs the method uncached, so every such call is its own. */
    @Test
    void nullInTheMiddleOfAPathHasNoKey() throws TemplateException {
        assertThrows(NullOnPath.class, () -> key(compile("c:{0.customer.id}", "order"), 1, new Order(null, 1)));
        assertThrows(NullOnPath.class, () -> key(compile("{0.customer.id}", "order"), 1, new Order(null, 1)));
    }

    @Test
    void aNullArgumentUnderAPathHasNoKey() throws TemplateException {
        assertThrows(NullOnPath.class, () -> key(compile("{0.customer}", "order"), 1, (Object) null));
    }

    @Test
    void aNullAtTheEndOfAPathIsAValueOfTheKey() throws TemplateException {
        assertEquals("c:null", Keys.render(key(compile("c:{0.customer}", "order"), 1, new Order(null, 1))));
        assertSame(Keys.NULL, key(compile("{0.customer}", "order"), 1, new Order(null, 1)));
    }

    @Test
    void aNullArgumentWithoutAPathIsAValueOfTheKey() throws TemplateException {
        assertSame(Keys.NULL, key(compile("{0}", "order"), 1, (Object) null));
    }

    @Test
    void propertyMissingOnTheRuntimeClassIsReportedWhenRead() throws TemplateException {
        KeyTemplate t = compile("{0.nothing}", "x");
        PropertyPath.MissingProperty e = assertThrows(PropertyPath.MissingProperty.class,
                () -> key(t, 1, new Customer(1, "DE")));
        assertContains("nothing", e.getMessage());
    }

    @Test
    void propertyCheckReceivesTheIndexAndPath() throws TemplateException {
        List<String> seen = new ArrayList<>();
        KeyTemplate.compile("{1.customer.id}:{0}", List.of("a", "order"), (index, path) -> {
            seen.add(index + "=" + path);
            return null;
        });
        assertEquals(List.of("1=[customer, id]"), seen, "called once, only for the placeholder with a path");
    }

    @Test
    void propertyCheckProblemFailsTheCompilation() {
        TemplateException e = assertThrows(TemplateException.class, () -> KeyTemplate.compile("{0.cust.id}",
                List.of("order"), (index, path) -> "Order has no property 'cust'"));
        assertContains("Order has no property 'cust'", e.getMessage());
        assertContains("'{0.cust.id}'", e.getMessage());
    }

    // ---- errors ----

    @Test
    void unclosedBraceIsAnError() {
        TemplateException e = compileError("sku:{sku", "sku");
        assertContains("'{' at position 4 that is never closed", e.getMessage());
        assertContains("{{ for a literal brace", e.getMessage());
    }

    @Test
    void strayClosingBraceIsAnError() {
        TemplateException e = compileError("sku}:{0}", "sku");
        assertContains("'}' at position 3 with no '{' before it", e.getMessage());
        assertContains("write }} for a literal brace", e.getMessage());
    }

    @Test
    void emptyPlaceholderIsAnError() {
        TemplateException e = compileError("a:{}", "a");
        assertContains("placeholder '{}' that is not an argument", e.getMessage());
        assertContains("write {0} for the first argument", e.getMessage());
    }

    @Test
    void placeholderWithAnEmptyPathStepIsAnError() {
        TemplateException e = compileError("{0..id}", "a");
        assertContains("'{0..id}' that is not an argument", e.getMessage());
    }

    @Test
    void indexOutOfRangeNamesTheValidRange() {
        TemplateException e = compileError("{2}", "a", "b");
        assertContains("uses {2}", e.getMessage());
        assertContains("2 parameters, {0} to {1}", e.getMessage());
    }

    @Test
    void indexOnAOneParameterMethodNamesTheOnlyPosition() {
        TemplateException e = compileError("{1}", "a");
        assertContains("one parameter, {0}", e.getMessage());
    }

    @Test
    void indexOnAMethodWithoutParametersSaysSo() {
        TemplateException e = compileError("{0}");
        assertContains("no parameters", e.getMessage());
    }

    @Test
    void indexTooLargeForAnIntIsATemplateError() {
        // Must be reported like any other out-of-range index, not escape as a NumberFormatException.
        TemplateException e = compileError("{99999999999}", "a", "b");
        assertContains("{0} to {1}", e.getMessage());
    }

    @Test
    void unknownParameterNameListsTheNames() {
        TemplateException e = compileError("{cur}", "sku", "currency");
        assertContains("names the parameter 'cur'", e.getMessage());
        assertContains("only sku, currency", e.getMessage());
        assertContains("a position like {0}", e.getMessage());
    }

    @Test
    void parameterNameWithoutNamesInTheClassFileMentionsParametersFlag() {
        TemplateException e = assertThrows(TemplateException.class,
                () -> KeyTemplate.compile("{id}", Arrays.asList(null, null), null));
        assertContains("no parameter names", e.getMessage());
        assertContains("-parameters", e.getMessage());
        assertContains("{0}", e.getMessage());
    }

    @Test
    void positionStillWorksWithoutParameterNames() throws TemplateException {
        KeyTemplate t = KeyTemplate.compile("{1}", Arrays.asList(null, null), null);
        assertEquals("b", key(t, 2, "a", "b"));
    }

    @Test
    void onePathReadsArgumentsOfSeveralClassesInTurn() throws TemplateException {
        KeyTemplate t = compile("{0.id}", "x");
        for (int i = 0; i < 3; i++) {
            assertEquals(7L, key(t, 1, new Customer(7, "NL")));
            assertEquals(9L, key(t, 1, new Product(9L, "A-1")));
        }
    }

    @Test
    void aGetterThatThrowsIsReportedAsSuch() throws TemplateException {
        KeyTemplate t = compile("{0.name}", "x");
        PropertyPath.MissingProperty e = assertThrows(PropertyPath.MissingProperty.class, () -> key(t, 1, new Broken()));
        assertContains("threw java.lang.IllegalStateException: no name today", e.getMessage());
        assertEquals("hidden", key(t, 1, new Hidden()), "and the next class is read normally");
    }
}
