package dev.recall.agent.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.recall.agent.codec.Model.AllFields;
import dev.recall.agent.codec.Model.Color;
import dev.recall.agent.codec.Model.Customer;
import dev.recall.agent.codec.Model.Holder;
import dev.recall.agent.codec.Model.Node;
import dev.recall.agent.codec.Model.Order;
import dev.recall.agent.codec.Model.Pair;
import dev.recall.agent.codec.Model.Point;
import dev.recall.agent.codec.Model.Primitives;
import dev.recall.agent.codec.Model.Product;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.Month;
import java.time.MonthDay;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.Period;
import java.time.Year;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Date;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Round trips: every supported type comes back equal, in the documented class, with sharing kept. */
class ValueCodecTest {

    private final ValueCodec codec = new ValueCodec(ClassAllowlist.of(List.of(Model.ALLOW)));

    private Object roundTrip(Object value) throws CodecException {
        return codec.decode(codec.encode(value), getClass().getClassLoader());
    }

    private void assertRoundTrip(Object value) throws CodecException {
        Object back = roundTrip(value);
        assertEquals(value, back);
        if (value != null) {
            assertEquals(value.getClass(), back.getClass(), "class of " + value);
        }
    }

    static Stream<Object> scalars() {
        return Stream.of(
                true, false,
                (byte) 0, Byte.MIN_VALUE, Byte.MAX_VALUE,
                (short) 0, Short.MIN_VALUE, Short.MAX_VALUE,
                'a', '\u0000', '\uFFFF',
                0, 1, -1, Integer.MIN_VALUE, Integer.MAX_VALUE,
                0L, -1L, Long.MIN_VALUE, Long.MAX_VALUE,
                0f, -0f, Float.MIN_VALUE, Float.MAX_VALUE, Float.NaN, Float.NEGATIVE_INFINITY,
                0d, -0d, Double.MIN_VALUE, Double.MAX_VALUE, Double.NaN, Double.POSITIVE_INFINITY,
                "", "plain ascii", "Grüße, 日本語, emoji \uD83D\uDE00", "x".repeat(100_000),
                BigInteger.ZERO, BigInteger.ONE.negate(), new BigInteger("123456789012345678901234567890"),
                BigDecimal.ZERO, new BigDecimal("19.99"), new BigDecimal("-1E+30"), new BigDecimal("0.000"),
                new BigDecimal(new BigInteger("98765432109876543210"), -7),
                new UUID(0, 0), UUID.fromString("123e4567-e89b-12d3-a456-426614174000"), new UUID(-1, Long.MIN_VALUE));
    }

    @ParameterizedTest
    @MethodSource("scalars")
    void scalarsRoundTrip(Object value) throws CodecException {
        assertRoundTrip(value);
    }

    @Test
    void nullRoundTrips() throws CodecException {
        assertNull(roundTrip(null));
    }

    @Test
    void stringsWithUnpairedSurrogatesKeepEveryChar() throws CodecException {
        for (String s : List.of("\uD800", "a\uDC00b", "\uDE00\uD83D", "end\uD83D")) {
            assertEquals(s, roundTrip(s));
        }
    }

    @Test
    void negativeZeroAndNaNPayloadsKeepTheirBits() throws CodecException {
        double nan = Double.longBitsToDouble(0x7ff8_0000_0000_1234L);
        assertEquals(Double.doubleToRawLongBits(nan), Double.doubleToRawLongBits((Double) roundTrip(nan)));
        assertEquals(Double.doubleToRawLongBits(-0d), Double.doubleToRawLongBits((Double) roundTrip(-0d)));
    }

    static Stream<Object> timeValues() {
        LocalDateTime ldt = LocalDateTime.of(2024, 2, 29, 23, 59, 59, 123_456_789);
        return Stream.of(
                Instant.EPOCH, Instant.MIN, Instant.MAX, Instant.ofEpochSecond(1_700_000_000L, 999_999_999),
                Instant.ofEpochSecond(-5, 1),
                LocalDate.MIN, LocalDate.MAX, LocalDate.of(1970, 1, 1), LocalDate.of(2024, 2, 29),
                LocalTime.MIDNIGHT, LocalTime.MAX, LocalTime.of(12, 30, 15, 1),
                ldt, LocalDateTime.MIN, LocalDateTime.MAX,
                OffsetDateTime.of(ldt, ZoneOffset.ofHoursMinutes(5, 30)), OffsetDateTime.MIN, OffsetDateTime.MAX,
                OffsetTime.of(LocalTime.NOON, ZoneOffset.ofHours(-8)),
                ZonedDateTime.of(ldt, ZoneId.of("Europe/Paris")), ZonedDateTime.of(ldt, ZoneOffset.UTC),
                ZonedDateTime.of(ldt, ZoneId.of("America/New_York")), ZonedDateTime.of(ldt, ZoneId.of("GMT+02:00")),
                // In the autumn overlap: the later of the two offsets must survive.
                ZonedDateTime.of(LocalDateTime.of(2023, 10, 29, 2, 30), ZoneId.of("Europe/Berlin")).withLaterOffsetAtOverlap(),
                Duration.ZERO, Duration.ofSeconds(-1, 5), Duration.ofDays(365_000), Duration.ofNanos(Long.MAX_VALUE),
                Period.ZERO, Period.of(1, -2, 3), Period.ofDays(Integer.MIN_VALUE),
                ZoneOffset.UTC, ZoneOffset.MIN, ZoneOffset.MAX, ZoneId.of("Asia/Kolkata"), ZoneId.of("UTC"),
                Year.of(2024), Year.of(Year.MIN_VALUE), YearMonth.of(2024, 12), YearMonth.of(-5, 1), MonthDay.of(2, 29),
                new Date(0), new Date(1_700_000_000_123L), new Date(-1));
    }

    @ParameterizedTest
    @MethodSource("timeValues")
    void timeValuesRoundTrip(Object value) throws CodecException {
        assertRoundTrip(value);
    }

    @Test
    void zonedDateTimeKeepsZoneAndOffset() throws CodecException {
        ZonedDateTime later = ZonedDateTime.of(LocalDateTime.of(2023, 10, 29, 2, 30), ZoneId.of("Europe/Berlin")).withLaterOffsetAtOverlap();
        ZonedDateTime back = (ZonedDateTime) roundTrip(later);
        assertEquals(later.getOffset(), back.getOffset());
        assertEquals(later.getZone(), back.getZone());
    }

    @Test
    void jdkEnumsAreAlwaysAllowed() throws CodecException {
        for (Object e : List.of(DayOfWeek.FRIDAY, Month.MARCH, ChronoUnit.MILLIS, TimeUnit.SECONDS, RoundingMode.HALF_EVEN)) {
            assertSame(e, roundTrip(e));
        }
    }

    @Test
    void applicationEnumsComeBackAsTheSameConstant() throws CodecException {
        for (Color c : Color.values()) {
            assertSame(c, roundTrip(c));
        }
        assertSame(Color.GREEN, roundTrip(Color.GREEN), "a constant with a body is written as its enum class");
    }

    @Test
    void optionals() throws CodecException {
        assertRoundTrip(Optional.empty());
        assertRoundTrip(Optional.of("x"));
        assertRoundTrip(Optional.of(new Point(1, 2)));
        assertRoundTrip(Optional.of(Optional.of(List.of(1))));
        assertRoundTrip(OptionalInt.empty());
        assertRoundTrip(OptionalInt.of(-3));
        assertRoundTrip(OptionalLong.of(Long.MIN_VALUE));
        assertRoundTrip(OptionalLong.empty());
        assertRoundTrip(OptionalDouble.of(2.5));
        assertRoundTrip(OptionalDouble.empty());
    }

    @Test
    void primitiveArrays() throws CodecException {
        assertArrayEquals(new boolean[] {true, false, true}, (boolean[]) roundTrip(new boolean[] {true, false, true}));
        assertArrayEquals(new byte[] {-128, 0, 127}, (byte[]) roundTrip(new byte[] {-128, 0, 127}));
        assertArrayEquals(new short[] {-1, 300}, (short[]) roundTrip(new short[] {-1, 300}));
        assertArrayEquals(new char[] {'a', '\uD800'}, (char[]) roundTrip(new char[] {'a', '\uD800'}));
        assertArrayEquals(new int[] {Integer.MIN_VALUE, 0, 7}, (int[]) roundTrip(new int[] {Integer.MIN_VALUE, 0, 7}));
        assertArrayEquals(new long[] {Long.MAX_VALUE, -2}, (long[]) roundTrip(new long[] {Long.MAX_VALUE, -2}));
        assertArrayEquals(new float[] {1.5f, Float.NaN}, (float[]) roundTrip(new float[] {1.5f, Float.NaN}));
        assertArrayEquals(new double[] {-0d, 1e300}, (double[]) roundTrip(new double[] {-0d, 1e300}));
        assertArrayEquals(new int[0], (int[]) roundTrip(new int[0]));
        int[] big = IntStream.range(0, 100_000).toArray();
        assertArrayEquals(big, (int[]) roundTrip(big));
    }

    @Test
    void objectArraysKeepTheirElementType() throws CodecException {
        Product[] products = {product(1), null, product(2)};
        Object back = roundTrip(products);
        assertEquals(Product[].class, back.getClass());
        assertArrayEquals(products, (Product[]) back);

        Object[] mixed = {1, "two", 3.0, null, List.of(4)};
        assertArrayEquals(mixed, (Object[]) roundTrip(mixed));
        assertEquals(Object[].class, roundTrip(mixed).getClass());

        String[] strings = {"a", "b"};
        assertEquals(String[].class, roundTrip(strings).getClass());
        Number[] numbers = {1, 2L, new BigDecimal("3.5")};
        assertArrayEquals(numbers, (Number[]) roundTrip(numbers));
        assertEquals(Number[].class, roundTrip(numbers).getClass());
        Model.Shape[] shapes = {new Model.Circle(1), new Model.Square(2)};
        assertArrayEquals(shapes, (Model.Shape[]) roundTrip(shapes));
    }

    @Test
    void multiDimensionalArrays() throws CodecException {
        int[][] grid = {{1, 2}, {3}, null, {}};
        int[][] back = (int[][]) roundTrip(grid);
        assertEquals(4, back.length);
        assertArrayEquals(grid[0], back[0]);
        assertArrayEquals(grid[1], back[1]);
        assertNull(back[2]);
        Point[][][] cube = {{{new Point(1, 1)}}};
        Point[][][] cubeBack = (Point[][][]) roundTrip(cube);
        assertEquals(new Point(1, 1), cubeBack[0][0][0]);
    }

    // ---- collections ----

    @Test
    void mutableJdkCollectionsComeBackAsTheSameClass() throws CodecException {
        assertRoundTrip(new ArrayList<>(Arrays.asList(1, null, "x")));
        assertRoundTrip(new LinkedList<>(List.of("a", "b")));
        assertRoundTrip(new HashSet<>(Set.of(1, 2, 3)));
        assertRoundTrip(new LinkedHashSet<>(List.of("z", "a", "m")));
        assertRoundTrip(new TreeSet<>(Set.of("b", "a", "c")));
        HashMap<Object, Object> hash = new HashMap<>();
        hash.put(null, "null key");
        hash.put("k", null);
        assertRoundTrip(hash);
        assertRoundTrip(new LinkedHashMap<>(Map.of("a", 1)));
        assertRoundTrip(new TreeMap<>(Map.of("b", 2, "a", 1)));
        assertRoundTrip(new ArrayList<>());
        assertRoundTrip(new HashMap<>());
    }

    @Test
    void iterationOrderOfOrderedCollectionsIsKept() throws CodecException {
        LinkedHashSet<String> set = new LinkedHashSet<>(List.of("z", "a", "m", "b"));
        assertEquals(new ArrayList<>(set), new ArrayList<>((Set<?>) roundTrip(set)));
        LinkedHashMap<String, Integer> map = new LinkedHashMap<>();
        map.put("z", 1);
        map.put("a", 2);
        assertEquals(new ArrayList<>(map.keySet()), new ArrayList<>(((Map<?, ?>) roundTrip(map)).keySet()));
        Set<String> unmodifiable = Collections.unmodifiableSet(set);
        assertEquals(new ArrayList<>(set), new ArrayList<>((Set<?>) roundTrip(unmodifiable)));
    }

    @Test
    void immutableListsComeBackImmutable() throws CodecException {
        for (List<?> list : List.of(List.of(), List.of(1), List.of(1, 2, 3), List.copyOf(new ArrayList<>(List.of("a"))),
                Collections.unmodifiableList(new ArrayList<>(List.of(1, 2))), Collections.emptyList(),
                Collections.singletonList("s"), Stream.of(1, 2).collect(Collectors.toUnmodifiableList()))) {
            List<?> back = (List<?>) roundTrip(list);
            assertEquals(list, back);
            assertImmutable(back);
        }
        for (java.util.Collection<?> c : List.of(Collections.unmodifiableCollection(new ArrayList<>(List.of(1, 2))),
                Collections.unmodifiableCollection(new ArrayList<>()))) {
            java.util.Collection<?> back = (java.util.Collection<?>) roundTrip(c);
            assertEquals(c.getClass(), back.getClass());
            assertEquals(new ArrayList<>(c), new ArrayList<>(back));
            assertImmutable(back);
        }
    }

    @Test
    void immutableListHoldingNullComesBackUnmodifiable() throws CodecException {
        List<String> withNull = Stream.of("a", null, "c").toList();
        List<?> back = (List<?>) roundTrip(withNull);
        assertEquals(withNull, back);
        assertImmutable(back);
        assertEquals(Arrays.asList("a", null), roundTrip(Collections.unmodifiableList(Arrays.asList("a", null))));
    }

    @Test
    void immutableSetsAndMapsComeBackImmutable() throws CodecException {
        for (Set<?> set : List.of(Set.of(), Set.of(1), Set.of(1, 2, 3), Collections.emptySet(), Collections.singleton(1),
                Collections.unmodifiableSet(new HashSet<>(List.of(4, 5))))) {
            Set<?> back = (Set<?>) roundTrip(set);
            assertEquals(set, back);
            assertImmutable(back);
        }
        for (Map<?, ?> map : List.of(Map.of(), Map.of("a", 1), Map.of("a", 1, "b", 2, "c", 3), Collections.emptyMap(),
                Collections.singletonMap("k", "v"), Collections.unmodifiableMap(new HashMap<>(Map.of(1, 2))),
                Map.copyOf(Map.of("x", List.of(1))))) {
            Map<?, ?> back = (Map<?, ?>) roundTrip(map);
            assertEquals(map, back);
            assertEquals(map.getClass(), back.getClass());
            assertThrows(UnsupportedOperationException.class, () -> back.put(null, null));
        }
    }

    @Test
    void unmodifiableSortedCollectionsComeBackSortedAndUnmodifiable() throws CodecException {
        Object set = roundTrip(Collections.unmodifiableSortedSet(new TreeSet<>(Set.of(3, 1, 2))));
        assertEquals(Collections.unmodifiableSortedSet(new TreeSet<>()).getClass(), set.getClass());
        assertEquals(List.of(1, 2, 3), new ArrayList<>((Set<?>) set));
        assertImmutable((Set<?>) set);
        Object map = roundTrip(Collections.unmodifiableNavigableMap(new TreeMap<>(Map.of("b", 1, "a", 2))));
        assertInstanceOf(java.util.NavigableMap.class, map);
        assertEquals(List.of("a", "b"), new ArrayList<>(((Map<?, ?>) map).keySet()));
        assertInstanceOf(java.util.SortedSet.class, roundTrip(Collections.emptySortedSet()));
        assertInstanceOf(java.util.SortedMap.class, roundTrip(Collections.emptySortedMap()));
    }

    @Test
    void otherJdkCollectionsComeBackAsTheirOwnClass() throws CodecException {
        ConcurrentHashMap<String, Integer> chm = new ConcurrentHashMap<>(Map.of("a", 1, "b", 2));
        Object back = roundTrip(chm);
        assertEquals(ConcurrentHashMap.class, back.getClass());
        assertEquals(chm, back);
        for (Object c : List.of(new java.util.concurrent.CopyOnWriteArrayList<>(List.of(1)), Arrays.asList(1, 2),
                new java.util.Vector<>(List.of(1)), new java.util.concurrent.ConcurrentSkipListSet<>(Set.of(1)),
                new java.util.concurrent.ConcurrentSkipListMap<>(Map.of(1, 2)), new java.util.Hashtable<>(Map.of(1, 2)),
                new java.util.concurrent.CopyOnWriteArraySet<>(List.of(1)), ConcurrentHashMap.newKeySet())) {
            Object b = roundTrip(c);
            assertEquals(c.getClass(), b.getClass());
            assertEquals(c, b);
        }
        Object deque = roundTrip(new java.util.ArrayDeque<>(List.of(3, 1, 2)));
        assertEquals(java.util.ArrayDeque.class, deque.getClass());
        assertEquals(List.of(3, 1, 2), new ArrayList<>((java.util.Collection<?>) deque));
    }

    @Test
    void viewsOfAnotherCollectionAreRefused() {
        for (Object view : List.of(new ArrayList<>(List.of(1, 2, 3)).subList(0, 2), new TreeMap<>(Map.of(1, 2)).keySet(),
                new HashMap<>(Map.of(1, 2)).keySet(), new HashMap<>(Map.of(1, 2)).values(),
                Collections.synchronizedList(new ArrayList<>()), new ConcurrentHashMap<>(Map.of(1, 2)).keySet())) {
            CodecException e = assertThrows(CodecException.class, () -> codec.encode(view), view.getClass().getName());
            assertTrue(e.getMessage().contains("view"), e.getMessage());
        }
    }

    @Test
    void enumSetsAndEnumMaps() throws CodecException {
        assertRoundTrip(EnumSet.of(Color.RED, Color.BLUE));
        assertRoundTrip(EnumSet.noneOf(Color.class));
        assertRoundTrip(EnumSet.allOf(DayOfWeek.class));
        EnumSet<?> empty = (EnumSet<?>) roundTrip(EnumSet.noneOf(Color.class));
        assertEquals(EnumSet.allOf(Color.class), EnumSet.complementOf(empty), "an empty EnumSet keeps its element type");
        EnumMap<Color, String> map = new EnumMap<>(Color.class);
        map.put(Color.GREEN, "g");
        assertRoundTrip(map);
    }

    @Test
    void collectionsOfRecordsAndNestedCollections() throws CodecException {
        Map<String, List<Product>> byCategory = new TreeMap<>();
        byCategory.put("books", List.of(product(1), product(2)));
        byCategory.put("toys", new ArrayList<>(List.of(product(3))));
        assertRoundTrip(byCategory);
        List<Map<String, Set<Integer>>> nested = List.of(Map.of("k", Set.of(1, 2)), Map.of());
        assertEquals(nested, roundTrip(nested));
        Map<Point, List<Point>> keyedByRecord = Map.of(new Point(1, 2), List.of(new Point(3, 4)));
        assertEquals(keyedByRecord, roundTrip(keyedByRecord));
    }

    private static void assertImmutable(java.util.Collection<?> c) {
        assertThrows(UnsupportedOperationException.class, () -> c.add(null));
    }

    // ---- records and ordinary classes ----

    static Product product(long id) {
        return new Product(id, "Product " + id, id % 2 == 0 ? "books" : "toys", new BigDecimal("19.99").add(BigDecimal.valueOf(id)),
                List.of("new", "sale"), Instant.ofEpochSecond(1_700_000_000L + id, 5));
    }

    @Test
    void records() throws CodecException {
        assertRoundTrip(new Point(3, -4));
        assertRoundTrip(product(7));
        assertRoundTrip(new Product(0, null, null, null, null, null));
        assertRoundTrip(new Primitives(true, (byte) -1, (short) 300, 'q', -5, Long.MIN_VALUE, 1.25f, Math.PI));
        assertRoundTrip(new Holder(new Holder(new Holder(List.of(new Point(0, 0))))));
        assertRoundTrip(Model.privateRecord("private nested records too"));
    }

    @Test
    void recordsAreRebuiltThroughTheirCanonicalConstructor() throws Exception {
        byte[] bytes = codec.encode(new Model.Validated(5));
        assertEquals(new Model.Validated(5), codec.decode(bytes, getClass().getClassLoader()));
        // The same payload with the component changed to -1 (zigzag 1): the constructor's check runs.
        byte[] tampered = bytes.clone();
        assertEquals(10, tampered[tampered.length - 1], "zigzag of 5");
        tampered[tampered.length - 1] = 1;
        CodecException e = assertThrows(CodecException.class, () -> codec.decode(tampered, getClass().getClassLoader()));
        assertTrue(e.getMessage().contains("refused the cached components: java.lang.IllegalArgumentException"), e.getMessage());
        // Its class, not its message: a constructor's message may quote the components (personal data, issue 29).
        assertFalse(e.getMessage().contains("negative"), e.getMessage());
    }

    @Test
    void ordinaryClassesAreRestoredFieldByFieldWithoutRunningAConstructor() throws CodecException {
        Customer c = new Customer(42, "Ada");
        c.region = "EU";
        c.visit();
        c.visit();
        c.scratch = "not kept";
        int constructed = Customer.constructed;

        Customer back = (Customer) roundTrip(c);

        assertEquals(constructed, Customer.constructed, "no constructor ran");
        assertEquals(42, back.id());
        assertEquals("Ada", back.name());
        assertEquals("EU", back.region, "superclass field");
        assertEquals(2, back.visits(), "private superclass field");
        assertEquals("not kept", back.scratch, "transient fields are written too: the caller could observe them");
        assertEquals(ArrayList.class, back.orders().getClass());
    }

    @Test
    void everyFieldKind() throws CodecException {
        AllFields all = new AllFields();
        AllFields back = (AllFields) roundTrip(all);
        assertEquals(all, back);
        AllFields zero = new AllFields();
        zero.z = false;
        zero.anything = null;
        zero.strings = null;
        assertEquals(zero, roundTrip(zero));
    }

    @Test
    void applicationClassImplementingMapIsAnOrdinaryObject() throws CodecException {
        Model.Settings s = new Model.Settings("k", "v");
        Object back = roundTrip(s);
        assertEquals(Model.Settings.class, back.getClass());
        assertEquals(Map.of("k", "v"), back);
    }

    // ---- identity ----

    @Test
    void sharedReferencesStayShared() throws CodecException {
        Point p = new Point(1, 1);
        List<?> back = (List<?>) roundTrip(new ArrayList<>(List.of(p, p, new Point(1, 1))));
        assertSame(back.get(0), back.get(1));
        assertNotSame(back.get(0), back.get(2), "equal but distinct objects stay distinct");

        int[] shared = {1, 2};
        Pair pair = (Pair) roundTrip(new Pair(shared, shared));
        assertSame(pair.left(), pair.right());

        List<String> tags = List.of("a");
        Pair lists = (Pair) roundTrip(new Pair(tags, tags));
        assertSame(lists.left(), lists.right());

        Date d = new Date(5);
        Object[] dates = (Object[]) roundTrip(new Object[] {d, d});
        assertSame(dates[0], dates[1]);
    }

    @Test
    void cyclesBetweenObjects() throws CodecException {
        Customer ada = new Customer(1, "Ada");
        Customer bob = new Customer(2, "Bob");
        ada.referrer(bob);
        bob.referrer(ada);
        Order order = new Order(10, ada, new BigDecimal("5.00"));
        ada.orders().add(order);

        Customer back = (Customer) roundTrip(ada);

        assertSame(back, back.referrer().referrer());
        assertEquals("Bob", back.referrer().name());
        assertSame(back, back.orders().get(0).customer);
        assertEquals(new BigDecimal("5.00"), back.orders().get(0).total);
    }

    @Test
    void selfReferences() throws CodecException {
        Node n = new Node("x", null);
        n.next = n;
        Node back = (Node) roundTrip(n);
        assertSame(back, back.next);

        List<Object> list = new ArrayList<>();
        list.add(list);
        list.add("tail");
        List<?> listBack = (List<?>) roundTrip(list);
        assertSame(listBack, listBack.get(0));

        Object[] array = new Object[1];
        array[0] = array;
        Object[] arrayBack = (Object[]) roundTrip(array);
        assertSame(arrayBack, arrayBack[0]);

        Map<String, Object> map = new HashMap<>();
        map.put("me", map);
        Map<?, ?> mapBack = (Map<?, ?>) roundTrip(map);
        assertSame(mapBack, mapBack.get("me"));
    }

    @Test
    void aCycleThroughARecordOrImmutableCollectionIsRefusedWhenEncoding() {
        List<Object> inner = new ArrayList<>();
        Holder holder = new Holder(inner);
        inner.add(holder);
        CodecException e = assertThrows(CodecException.class, () -> codec.encode(holder));
        assertTrue(e.getMessage().contains("cycle"), e.getMessage());

        List<Object> mutable = new ArrayList<>();
        List<Object> immutable = Collections.unmodifiableList(mutable);
        mutable.add(immutable);
        assertThrows(CodecException.class, () -> codec.encode(immutable));
    }

    @Test
    void aLongChainEncodesWithinTheDepthBound() throws CodecException {
        Node head = null;
        for (int i = 0; i < 200; i++) {
            head = new Node(i, head);
        }
        Node back = (Node) roundTrip(head);
        int length = 0;
        for (Node n = back; n != null; n = n.next) {
            length++;
        }
        assertEquals(200, length);
    }

    // ---- format ----

    @Test
    void classNamesAreWrittenOncePerValue() throws CodecException {
        List<Product> products = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            products.add(product(i));
        }
        byte[] bytes = codec.encode(products);
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        String name = Product.class.getName();
        assertEquals(text.indexOf(name), text.lastIndexOf(name), "the record's name appears once");
        assertTrue(text.contains(name));
        assertEquals(products, codec.decode(bytes, getClass().getClassLoader()));
    }

    @Test
    void payloadsAreCompact() throws CodecException {
        assertEquals(3, codec.encode(null).length, "header and tag");
        assertEquals(4, codec.encode(5).length, "header, tag, one-byte varint");
        int single = codec.encode(product(1)).length;
        assertTrue(single < 110, "one product in " + single + " bytes");
    }

    @Test
    void classMetadataIsComputedOncePerClass() {
        assertSame(TypeInfo.of(Product.class), TypeInfo.of(Product.class));
    }

    @Test
    void declaredPrimitiveTypeIsAccepted() throws CodecException {
        assertEquals(5, codec.decode(codec.encode(5, int.class), getClass().getClassLoader()));
    }

    @Test
    void decodingTwiceGivesIndependentCopies() throws CodecException {
        byte[] bytes = codec.encode(new ArrayList<>(List.of(1)));
        Object a = codec.decode(bytes, getClass().getClassLoader());
        Object b = codec.decode(bytes, getClass().getClassLoader());
        assertEquals(a, b);
        assertNotSame(a, b);
    }
}
