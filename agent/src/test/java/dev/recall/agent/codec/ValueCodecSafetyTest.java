package dev.recall.agent.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.recall.agent.codec.Model.Holder;
import dev.recall.agent.codec.Model.Node;
import dev.recall.agent.codec.Model.Point;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.WeakReference;
import java.lang.reflect.Constructor;
import java.math.BigDecimal;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What the codec must never do: load or run a class outside the allowlist, throw anything but
 * {@link CodecException} on bad bytes, allocate by a declared length, overflow the stack, or write values
 * it could not read back.
 */
class ValueCodecSafetyTest {

    private static final ClassLoader LOADER = ValueCodecSafetyTest.class.getClassLoader();
    private static final String POISON = ValueCodecSafetyTest.class.getName() + "$Poison";
    private static final String ANTIDOTE = ValueCodecSafetyTest.class.getName() + "$Antidote";
    static final AtomicBoolean POISON_INITIALIZED = new AtomicBoolean();
    static final AtomicBoolean ANTIDOTE_INITIALIZED = new AtomicBoolean();

    private final ValueCodec codec = new ValueCodec(ClassAllowlist.of(List.of(Model.ALLOW, Isolated.class.getName())));

    /** Never referenced except by name: loading it would be visible, initializing it would throw. */
    static final class Poison {
        static {
            POISON_INITIALIZED.set(true);
            if (POISON_INITIALIZED.get()) {
                throw new IllegalStateException("Poison was initialized");
            }
        }
    }

    /** The control: an allowed class with the same trap, which decoding does initialize. */
    static final class Antidote {
        static {
            ANTIDOTE_INITIALIZED.set(true);
        }
    }

    /** Records every class name it is asked for. */
    static final class RecordingLoader extends ClassLoader {
        final List<String> requested = Collections.synchronizedList(new ArrayList<>());

        RecordingLoader() {
            super(LOADER);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            requested.add(name);
            return super.loadClass(name, resolve);
        }
    }

    private Object decode(byte[] bytes) throws CodecException {
        return codec.decode(bytes, LOADER);
    }

    // ---- the allowlist comes first ----

    @Test
    void aClassOutsideTheAllowlistIsRejectedBeforeItIsLoaded() {
        byte[] bytes = Payload.header().tag(Tag.OBJECT).newClass(POISON, 0).bytes();
        RecordingLoader loader = new RecordingLoader();

        RejectedClassException e = assertThrows(RejectedClassException.class, () -> codec.decode(bytes, loader));

        assertEquals(POISON, e.className());
        assertFalse(loader.requested.contains(POISON), "the loader was asked for " + loader.requested);
        assertFalse(POISON_INITIALIZED.get(), "the static initializer ran");
    }

    @Test
    void everyPlaceAClassNameAppearsIsChecked() {
        RecordingLoader loader = new RecordingLoader();
        List<byte[]> payloads = List.of(
                Payload.header().tag(Tag.RECORD).newClass(POISON, 0).bytes(),
                Payload.header().tag(Tag.ENUM).newClass(POISON, 0).string("X").bytes(),
                Payload.header().tag(Tag.OBJECT_ARRAY).newClass(POISON, 0).varint(0).bytes(),
                Payload.header().tag(Tag.OBJECT_ARRAY).newClass("[[L" + POISON + ";", 0).varint(0).bytes(),
                Payload.header().tag(Tag.SET_ENUM).newClass(POISON, 0).varint(0).bytes(),
                Payload.header().tag(Tag.MAP_ENUM).newClass(POISON, 0).varint(0).bytes(),
                Payload.header().tag(Tag.LIST_ARRAY).varint(2).tag(Tag.NULL).tag(Tag.OBJECT).newClass(POISON, 0).bytes());
        for (byte[] bytes : payloads) {
            RejectedClassException e = assertThrows(RejectedClassException.class, () -> codec.decode(bytes, loader));
            assertEquals(POISON, e.className());
        }
        assertFalse(loader.requested.contains(POISON), "the loader was asked for " + loader.requested);
        assertFalse(POISON_INITIALIZED.get());
    }

    @Test
    void controlAnAllowedClassIsLoadedThroughTheGivenLoaderAndInitializedOnlyWhenBuilt() throws Exception {
        ValueCodec allowing = new ValueCodec(ClassAllowlist.of(List.of(ANTIDOTE)));
        RecordingLoader loader = new RecordingLoader();
        Class<?> type = Class.forName(ANTIDOTE, false, LOADER);
        int fingerprint = TypeInfo.of(type).layout().fingerprint;
        assertFalse(ANTIDOTE_INITIALIZED.get(), "metadata is read without initializing");

        Object back = allowing.decode(Payload.header().tag(Tag.OBJECT).newClass(ANTIDOTE, fingerprint).bytes(), loader);

        assertEquals(ANTIDOTE, back.getClass().getName());
        assertTrue(loader.requested.contains(ANTIDOTE));
        assertTrue(ANTIDOTE_INITIALIZED.get(), "so the Poison test would have seen an initialization");
    }

    @Test
    void rejectionSaysWhatToAdd() throws CodecException {
        byte[] bytes = codec.encode(new Point(1, 2));
        ValueCodec strict = new ValueCodec(ClassAllowlist.of(List.of("com.acme.**")));
        RejectedClassException e = assertThrows(RejectedClassException.class, () -> strict.decode(bytes, LOADER));
        assertEquals(Point.class.getName(), e.className());
        assertTrue(e.getMessage().contains("redis.allowClasses"), e.getMessage());
        assertTrue(e.getMessage().contains("allowClasses: [dev.recall.agent.codec.**]"), e.getMessage());
    }

    @Test
    void encodingRefusesClassesOutsideTheAllowlistToo() {
        ValueCodec strict = new ValueCodec(ClassAllowlist.of(List.of()));
        RejectedClassException e = assertThrows(RejectedClassException.class, () -> strict.encode(List.of(new Point(1, 2))));
        assertEquals(Point.class.getName(), e.className());
        assertThrows(RejectedClassException.class, () -> strict.encode(new Point[0]));
        assertThrows(RejectedClassException.class, () -> strict.encode(Model.Color.RED));
    }

    @Test
    void jdkValueTypesNeedNoPattern() throws CodecException {
        ValueCodec strict = new ValueCodec(ClassAllowlist.of(List.of()));
        Object value = List.of(Map.of("k", new BigDecimal("1.5")), UUID.randomUUID(), Instant.now(), new Object[] {1, "2"},
                Optional.of(java.time.Month.MAY), new Integer[] {1}, new String[][] {{"a"}});
        Object back = strict.decode(strict.encode(value), LOADER);
        assertEquals(((List<?>) value).get(0), ((List<?>) back).get(0));
    }

    @Test
    void aPayloadCannotUseAnAllowedJdkNameToBuildSomethingElse() {
        ValueCodec strict = new ValueCodec(ClassAllowlist.of(List.of()));
        for (String name : List.of("java.lang.Integer", "java.lang.String", "java.util.ArrayList", "java.lang.Object",
                "java.lang.Number", "java.util.List")) {
            byte[] object = Payload.header().tag(Tag.OBJECT).newClass(name, 0).bytes();
            byte[] record = Payload.header().tag(Tag.RECORD).newClass(name, 0).bytes();
            assertThrows(CodecException.class, () -> strict.decode(object, LOADER), name);
            assertThrows(CodecException.class, () -> strict.decode(record, LOADER), name);
        }
        byte[] notAnEnum = Payload.header().tag(Tag.ENUM).newClass("java.lang.Integer", 0).string("MAX_VALUE").bytes();
        assertThrows(CodecException.class, () -> strict.decode(notAnEnum, LOADER));
    }

    @Test
    void abstractTypesAndNonRecordsAreNotBuiltFromPayloads() {
        assertThrows(CodecException.class, () -> decode(Payload.header().tag(Tag.OBJECT).newClass(Model.Shape.class.getName(), 0).bytes()));
        assertThrows(CodecException.class, () -> decode(Payload.header().tag(Tag.RECORD).newClass(Model.Order.class.getName(), 0).bytes()));
        assertThrows(CodecException.class, () -> decode(Payload.header().tag(Tag.OBJECT).newClass(Point.class.getName(), 0).bytes()));
    }

    @Test
    void aClassThatChangedShapeIsRefused() throws CodecException {
        byte[] bytes = codec.encode(new Point(1, 2));
        String text = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
        int fingerprintAt = text.indexOf(Point.class.getName()) + Point.class.getName().length();
        bytes[fingerprintAt] ^= 0x01;
        CodecException e = assertThrows(CodecException.class, () -> decode(bytes));
        assertTrue(e.getMessage().contains("differ"), e.getMessage());
    }

    @Test
    void aClassTheLoaderCannotSeeIsACodecException() {
        byte[] bytes = Payload.header().tag(Tag.OBJECT).newClass("dev.recall.agent.codec.Model$Gone", 0).bytes();
        CodecException e = assertThrows(CodecException.class, () -> decode(bytes));
        assertTrue(e.getMessage().contains("Model$Gone"), e.getMessage());
    }

    @Test
    void anEnumConstantThatNoLongerExistsIsACodecException() {
        byte[] bytes = Payload.header().tag(Tag.ENUM).newClass(Model.Color.class.getName(), 0).string("PURPLE").bytes();
        CodecException e = assertThrows(CodecException.class, () -> decode(bytes));
        assertTrue(e.getMessage().contains("PURPLE"), e.getMessage());
    }

    @Test
    void aBackReferenceIntoARecordUnderConstructionIsACodecException() {
        byte[] bytes = Payload.header().tag(Tag.RECORD).newClass(Holder.class.getName(), fingerprint(Holder.class))
                .tag(Tag.BACK_REFERENCE).varint(0).bytes();
        assertThrows(CodecException.class, () -> decode(bytes));
        byte[] forward = Payload.header().tag(Tag.BACK_REFERENCE).varint(3).bytes();
        assertThrows(CodecException.class, () -> decode(forward));
    }

    private static int fingerprint(Class<?> type) {
        try {
            return TypeInfo.of(type).layout().fingerprint;
        } catch (CodecException e) {
            throw new AssertionError(e);
        }
    }

    // ---- bad bytes ----

    private static List<Object> samples() {
        Model.Customer ada = new Model.Customer(1, "Ada");
        ada.referrer(ada);
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("point", new Point(1, 2));
        map.put("list", List.of(1, "two", 3.0));
        map.put("customer", ada);
        map.put("array", new Point[] {new Point(3, 4), null});
        map.put("color", Model.Color.GREEN);
        map.put("time", java.time.ZonedDateTime.now());
        map.put("ints", new int[] {1, 2, 3});
        map.put("big", new BigDecimal("123.456"));
        map.put("set", new TreeSet<>(Set.of("a", "b")));
        map.put("enums", java.util.EnumSet.of(Model.Color.RED));
        return List.of(map, ValueCodecTest.product(1), List.of(ValueCodecTest.product(2), ValueCodecTest.product(3)),
                "a string", 12345L, new Model.AllFields());
    }

    @Test
    void everyTruncationIsACodecException() throws CodecException {
        for (Object sample : samples()) {
            byte[] bytes = codec.encode(sample);
            for (int length = 0; length < bytes.length; length++) {
                byte[] prefix = java.util.Arrays.copyOf(bytes, length);
                assertThrows(CodecException.class, () -> decode(prefix), "prefix of " + length + " of " + bytes.length);
            }
        }
    }

    @Test
    void trailingBytesAreACodecException() throws CodecException {
        byte[] bytes = codec.encode(List.of(1, 2));
        byte[] longer = java.util.Arrays.copyOf(bytes, bytes.length + 1);
        assertThrows(CodecException.class, () -> decode(longer));
    }

    @Test
    void tenThousandRandomArraysEachThrowACodecException() {
        Random random = new Random(20_240_229L);
        for (int i = 0; i < 10_000; i++) {
            byte[] bytes = new byte[random.nextInt(200)];
            random.nextBytes(bytes);
            assertThrows(CodecException.class, () -> decode(bytes), () -> "array " + java.util.Arrays.toString(bytes));
        }
    }

    @Test
    void randomBodiesBehindAValidHeaderThrowOnlyCodecExceptions() {
        Random random = new Random(7L);
        int failed = 0;
        for (int i = 0; i < 10_000; i++) {
            byte[] bytes = new byte[2 + random.nextInt(100)];
            random.nextBytes(bytes);
            bytes[0] = Tag.MAGIC;
            bytes[1] = Tag.VERSION;
            failed += decodesOrThrowsCodecException(bytes) ? 0 : 1;
        }
        assertTrue(failed > 9_000, failed + " of 10000 random bodies were refused");
    }

    @Test
    void mutatedPayloadsThrowOnlyCodecExceptions() throws CodecException {
        Random random = new Random(99L);
        List<byte[]> valid = new ArrayList<>();
        for (Object sample : samples()) {
            valid.add(codec.encode(sample));
        }
        for (int i = 0; i < 10_000; i++) {
            byte[] bytes = valid.get(random.nextInt(valid.size())).clone();
            int edits = 1 + random.nextInt(4);
            for (int e = 0; e < edits; e++) {
                int at = 2 + random.nextInt(bytes.length - 2);
                switch (random.nextInt(3)) {
                    case 0: bytes[at] = (byte) random.nextInt(256); break;
                    case 1: bytes[at] ^= (byte) (1 << random.nextInt(8)); break;
                    default: bytes[at] = (byte) (random.nextBoolean() ? 0xFF : 0x7F);
                }
            }
            decodesOrThrowsCodecException(bytes);
        }
    }

    /** True if the bytes decoded; fails the test on anything but a CodecException. */
    private boolean decodesOrThrowsCodecException(byte[] bytes) {
        try {
            decode(bytes);
            return true;
        } catch (CodecException expected) {
            return false;
        } catch (Throwable t) {
            throw new AssertionError("not a CodecException for " + java.util.Arrays.toString(bytes), t);
        }
    }

    @Test
    void hugeDeclaredLengthsAreRefusedBeforeAllocating() {
        int huge = Integer.MAX_VALUE;
        List<byte[]> payloads = List.of(
                Payload.header().tag(Tag.STRING).varint(huge).bytes(),
                Payload.header().tag(Tag.STRING_UTF16).varint(huge).bytes(),
                Payload.header().tag(Tag.BIG_INTEGER).varint(huge).bytes(),
                Payload.header().tag(Tag.LONG_ARRAY).varint(huge).bytes(),
                Payload.header().tag(Tag.DOUBLE_ARRAY).varint(huge / 8 + 1).bytes(),
                Payload.header().tag(Tag.BOOLEAN_ARRAY).varint(huge).bytes(),
                Payload.header().tag(Tag.OBJECT_ARRAY).newClass("java.lang.Object", 0).varint(huge).bytes(),
                Payload.header().tag(Tag.LIST_ARRAY).varint(huge).bytes(),
                Payload.header().tag(Tag.JDK_COLLECTION).varint(CollectionTags.Jdk.LIST_OF.ordinal()).varint(huge).bytes(),
                Payload.header().tag(Tag.JDK_COLLECTION).varint(CollectionTags.Jdk.VECTOR.ordinal()).varint(huge).bytes(),
                Payload.header().tag(Tag.JDK_COLLECTION).varint(CollectionTags.Jdk.ALL.length).bytes(),
                Payload.header().tag(Tag.SET_HASH).varint(huge).bytes(),
                Payload.header().tag(Tag.MAP_HASH).varint(huge).bytes(),
                Payload.header().tag(Tag.LIST_ARRAY).varint(-1).bytes(),
                Payload.header().tag(Tag.INT).varint(-1).tag(0x7F).bytes());
        for (byte[] bytes : payloads) {
            assertThrows(CodecException.class, () -> decode(bytes));
        }
    }

    @Test
    void nestedDeclaredLengthsCannotAddUpToMoreThanThePayload() {
        // Each level declares nearly as many elements as there are bytes left, and holds just one list.
        Payload p = Payload.header();
        for (int level = 0; level < 400; level++) {
            p.tag(Tag.OBJECT_ARRAY);
            if (level == 0) {
                p.newClass("java.lang.Object", 0);
            } else {
                p.varint(1);
            }
            p.varint(10_000 - level);
        }
        byte[] bytes = java.util.Arrays.copyOf(p.bytes(), p.bytes().length + 10_000);
        CodecException e = assertThrows(CodecException.class, () -> decode(bytes));
        assertTrue(e.getMessage().contains("exceed"), e.getMessage());
    }

    @Test
    void deepNestingIsACodecExceptionNotAStackOverflow() {
        Payload p = Payload.header();
        for (int i = 0; i < 100_000; i++) {
            p.tag(Tag.LIST_ARRAY).varint(1);
        }
        byte[] bytes = p.tag(Tag.NULL).bytes();
        CodecException e = assertThrows(CodecException.class, () -> decode(bytes));
        assertTrue(e.getMessage().contains("deeper"), e.getMessage());
        byte[] optionals = Payload.header().bytes();
        Payload o = Payload.header();
        for (int i = 0; i < 100_000; i++) {
            o.tag(Tag.OPTIONAL);
        }
        assertThrows(CodecException.class, () -> decode(o.tag(Tag.INT).varint(0).bytes()));
        assertThrows(CodecException.class, () -> decode(optionals));
    }

    @Test
    void encodingADeepGraphIsACodecExceptionAndTheLimitIsSymmetric() throws CodecException {
        Node deep = null;
        for (int i = 0; i < 10_000; i++) {
            deep = new Node(null, deep);
        }
        Node tooDeep = deep;
        assertThrows(CodecException.class, () -> codec.encode(tooDeep));
        // The deepest value the encoder accepts, the decoder reads.
        Object nested = null;
        for (int depth = 1; depth < Encoder.MAX_DEPTH; depth++) {
            nested = Collections.singletonList(nested);
        }
        assertNotNull(decode(codec.encode(nested)));
        Object deeper = Collections.singletonList(nested);
        assertThrows(CodecException.class, () -> codec.encode(deeper));
    }

    @Test
    void garbageThatTheJdkFactoriesRejectIsACodecException() {
        List<byte[]> payloads = List.of(
                Payload.header().tag(Tag.LOCAL_TIME).varint(-1).varint(0xFF).bytes(),
                Payload.header().tag(Tag.ZONE_REGION).string("Not/AZone").bytes(),
                Payload.header().tag(Tag.ZONE_OFFSET).varint(1_000_000).bytes(),
                Payload.header().tag(Tag.MONTH_DAY).varint(13).varint(1).bytes(),
                Payload.header().tag(Tag.BIG_INTEGER).varint(0).bytes(),
                Payload.header().tag(Tag.OPTIONAL).tag(Tag.NULL).bytes(),
                Payload.header().tag(Tag.SET_TREE).varint(2).tag(Tag.INT).varint(2).tag(Tag.STRING).string("x").bytes(),
                Payload.header().tag(Tag.OBJECT_ARRAY).newClass("[X", 0).varint(0).bytes(),
                Payload.header().tag(Tag.OBJECT_ARRAY).newClass("java.lang.String", 0).varint(1).tag(Tag.INT).varint(0).bytes(),
                Payload.header().tag(Tag.TRUE + 200).bytes(),
                new byte[] {Tag.MAGIC, (byte) (Tag.VERSION + 1), Tag.NULL},
                new byte[0]);
        for (byte[] bytes : payloads) {
            assertThrows(CodecException.class, () -> decode(bytes), java.util.Arrays.toString(bytes));
        }
    }

    // ---- values the encoder refuses ----

    @Test
    void nonValuesAreRefusedByName() throws IOException {
        Supplier<String> lambda = () -> "x";
        Thread thread = new Thread(() -> { });
        InputStream in = new ByteArrayInputStream(new byte[1]);
        try (Socket socket = new Socket(); Stream<String> stream = Stream.of("a")) {
            for (Object nonValue : List.of(lambda, thread, in, stream, socket, LOADER, String.class,
                    List.of(1).iterator(), new Model.Resource(), Executors.newSingleThreadExecutor(),
                    new java.util.PriorityQueue<>(List.of(1)), new java.util.IdentityHashMap<>())) {
                CodecException e = assertThrows(CodecException.class, () -> codec.encode(nonValue), nonValue.toString());
                assertTrue(e.getMessage().contains(nonValue.getClass().getName()), e.getMessage());
                if (nonValue instanceof ExecutorService) {
                    ((ExecutorService) nonValue).shutdown();
                }
            }
        }
        assertThrows(CodecException.class, () -> codec.encode(List.of(Optional.of(lambda))));
        assertThrows(CodecException.class, () -> codec.encode(new Model.WithThread(thread)));
        assertThrows(CodecException.class, () -> codec.encode((Callable<String>) () -> "y"));
    }

    @Test
    void jdkClassesOtherThanTheSupportedOnesAreRefused() {
        // A mutable JDK class whose state is private to java.base: neither copied field by field nor shared.
        CodecException e = assertThrows(CodecException.class, () -> codec.encode(new java.text.DecimalFormat("0.0")));
        assertTrue(e.getMessage().contains("java.text.DecimalFormat"), e.getMessage());
        CodecException date = assertThrows(CodecException.class, () -> codec.encode(new Model.Stamp(5)));
        assertTrue(date.getMessage().contains("extends the JDK class java.util.Date"), date.getMessage());
        CodecException sql = assertThrows(CodecException.class, () -> codec.encode(new java.sql.Timestamp(5)));
        assertTrue(sql.getMessage().contains("java.sql.Timestamp"), sql.getMessage());
        assertThrows(CodecException.class, () -> codec.encode(new java.util.concurrent.atomic.AtomicLong(1)));
        assertThrows(CodecException.class, () -> codec.encode(Map.entry("k", "v")));
    }

    @Test
    void aFieldTheAgentCannotAccessIsNamed() {
        CodecException e = assertThrows(CodecException.class, () -> codec.encode(new StringBuilder("x")));
        assertTrue(e.getMessage().contains("java.lang.StringBuilder"), e.getMessage());
        assertTrue(e.getMessage().contains("field java.lang.AbstractStringBuilder."), e.getMessage());

        Model.LabelledTags tags = new Model.LabelledTags();
        tags.add("x");
        CodecException sub = assertThrows(CodecException.class, () -> codec.encode(tags));
        assertTrue(sub.getMessage().contains(Model.LabelledTags.class.getName()), sub.getMessage());
        assertTrue(sub.getMessage().contains("field java.util.ArrayList.size"), sub.getMessage());
        assertTrue(sub.getMessage().contains("java.base"), sub.getMessage());
    }

    @Test
    void sortedCollectionsWithAComparatorAreRefused() {
        TreeSet<String> reversed = new TreeSet<>(Comparator.reverseOrder());
        reversed.add("a");
        assertThrows(CodecException.class, () -> codec.encode(reversed));
        assertThrows(CodecException.class, () -> codec.encode(Collections.unmodifiableSortedSet(reversed)));
        assertThrows(CodecException.class, () -> codec.encode(new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER)));
    }

    @Test
    void anEmptyEnumMapIsRefused() {
        assertThrows(CodecException.class, () -> codec.encode(new EnumMap<>(Model.Color.class)));
    }

    @Test
    void aCollectionThatWouldNotFitItsDeclaredTypeIsRefusedWhenEncoding() throws CodecException {
        // A stateless ArrayList subclass is read back as an ArrayList: not where its own type is declared.
        Model.WithTags holder = new Model.WithTags();
        holder.tags = new Model.Tags();
        holder.tags.add("a");
        CodecException e = assertThrows(CodecException.class, () -> codec.encode(holder));
        assertTrue(e.getMessage().contains("java.util.ArrayList"), e.getMessage());
        assertThrows(CodecException.class, () -> codec.encode(holder.tags, Model.Tags.class));
        Model.Tags[] array = {holder.tags};
        CodecException element = assertThrows(CodecException.class, () -> codec.encode(array));
        assertTrue(element.getMessage().contains("java.util.ArrayList"), element.getMessage());
        assertEquals(List.of("a"), decode(codec.encode(holder.tags, List.class)));
        // The JDK's own collections come back as their own class, so they fit wherever they were held.
        ConcurrentHashMap<String, Integer> chm = new ConcurrentHashMap<>(Map.of("a", 1));
        assertEquals(chm, ((Model.WithConcurrentMap) decode(codec.encode(new Model.WithConcurrentMap(chm)))).map());
        Object deque = decode(codec.encode(new ArrayDeque<>(List.of(1)), ArrayDeque.class));
        assertEquals(ArrayDeque.class, deque.getClass());
    }

    // ---- sharing ----

    @Test
    void oneCodecIsSafeToShareBetweenThreads() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int seed = t;
                results.add(pool.submit(() -> {
                    for (int i = 0; i < 2_000; i++) {
                        Object value = i % 2 == 0 ? ValueCodecTest.product(seed * 10_000L + i)
                                : new HashMap<>(Map.of("k" + i, List.of(new Point(seed, i))));
                        assertEquals(value, decode(codec.encode(value)));
                    }
                    return null;
                }));
            }
            for (Future<?> f : results) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    // ---- class loaders ----

    /** Defines one class itself (child-first), so that it and its loader can be thrown away. */
    static final class IsolatingLoader extends ClassLoader {
        private final String isolated;

        IsolatingLoader(String isolated) {
            super(LOADER);
            this.isolated = isolated;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.equals(isolated)) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    try (InputStream in = LOADER.getResourceAsStream(name.replace('.', '/') + ".class")) {
                        byte[] b = in.readAllBytes();
                        c = defineClass(name, b, 0, b.length);
                    } catch (IOException e) {
                        throw new ClassNotFoundException(name, e);
                    }
                }
                return c;
            }
        }
    }

    @Test
    void classesAreResolvedThroughTheGivenLoader() throws Exception {
        IsolatingLoader loader = new IsolatingLoader(Isolated.class.getName());
        byte[] bytes = codec.encode(new Isolated(1, 2));
        Object isolated = codec.decode(bytes, loader);
        assertEquals(loader, isolated.getClass().getClassLoader());
        assertEquals("Isolated[x=1, y=2]", isolated.toString());
        assertEquals(LOADER, decode(bytes).getClass().getClassLoader());
    }

    @Test
    void theMetadataCacheDoesNotKeepAClassLoaderAlive() throws Exception {
        WeakReference<ClassLoader> loader = useAndDropALoader();
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            while (loader.get() != null) {
                System.gc();
                Thread.sleep(20);
            }
        });
        assertNull(loader.get());
    }

    private WeakReference<ClassLoader> useAndDropALoader() throws Exception {
        IsolatingLoader loader = new IsolatingLoader(Isolated.class.getName());
        Class<?> type = Class.forName(Isolated.class.getName(), false, loader);
        Constructor<?> c = type.getDeclaredConstructor(int.class, int.class);
        c.setAccessible(true);
        for (int i = 0; i < 50; i++) {
            byte[] bytes = codec.encode(c.newInstance(i, i));
            Object back = codec.decode(bytes, loader);
            if (back.getClass() != type) {
                fail("decoded through another loader");
            }
        }
        return new WeakReference<>(loader);
    }
}
