package dev.recall.agent.codec;

/**
 * The wire format, version 1. (Payloads written before transient fields were written fail their class's
 * fingerprint; those with the retired immutable-collection tags 72, 76, 77, 82, 83 fail as unknown tags: both are
 * read as misses, never as wrong values.) A payload is {@code MAGIC VERSION value}; a value is a one-byte tag and
 * what the tag says follows:
 *
 * <pre>
 * NULL TRUE FALSE                      nothing
 * BYTE                                 1 byte
 * SHORT INT LONG                       zigzag varint
 * CHAR                                 unsigned varint
 * FLOAT DOUBLE                         4 / 8 bytes, big-endian raw bits
 * STRING                               varint byte count, UTF-8
 * STRING_UTF16                         varint char count, 2 bytes each (strings with unpaired surrogates,
 *                                      which UTF-8 cannot carry)
 * BIG_INTEGER                          varint count, two's-complement bytes
 * BIG_DECIMAL                          zigzag scale, then as BIG_INTEGER (the unscaled value)
 * UUID                                 8 + 8 bytes
 * DATE                                 zigzag epoch millis
 * BARE_OBJECT                          nothing (a new Object(): a lock or a marker)
 * JDK_VALUE                            varint kind, string (Locale, Currency, URI, URL, Path, File,
 *                                      InetAddress, Charset: see JdkValues)
 * CONSTANT                             class, string (the static final field of that class holding it)
 * INSTANT DURATION                     zigzag seconds, varint nanos
 * LOCAL_DATE                           zigzag epoch day
 * LOCAL_TIME                           varint nano of day
 * LOCAL_DATE_TIME                      epoch day, nano of day
 * OFFSET_DATE_TIME OFFSET_TIME         local part, zigzag offset seconds
 * ZONED_DATE_TIME                      local date-time, offset seconds, zone (a tagged value)
 * ZONE_OFFSET                          zigzag total seconds
 * ZONE_REGION                          string (the zone id)
 * PERIOD                               zigzag years, months, days
 * YEAR / YEAR_MONTH / MONTH_DAY        zigzag year / year, month / month, day
 * OPTIONAL / OPTIONAL_EMPTY            a value / nothing; OPTIONAL_INT, _LONG, _DOUBLE likewise
 * ENUM                                 class, string (the constant's name)
 * RECORD                               class, each component in declaration order
 * OBJECT                               class, each field, transient ones included (superclass first, by
 *                                      name within a class; Hibernate's $$_hibernate_ fields are not written)
 * OBJECT_ARRAY                         class (the element type), varint length, values
 * BOOLEAN_ARRAY ... DOUBLE_ARRAY       varint length, fixed-width big-endian elements
 * LIST_* SET_*                         varint size, values
 * MAP_*                                varint size, key and value in turn
 * ENUM_SET / ENUM_MAP                  class (the enum), then as SET_* / MAP_*
 * JDK_COLLECTION                       varint shape (CollectionTags.Jdk), then: elements or entries as
 *                                      SET_* / MAP_* (a Properties: its defaults first, as a value); a
 *                                      wrapper's contents as a value; a constant nothing
 * THROWABLE                            class, message (a value), varint frame count and per stack frame: class
 *                                      loader name, module name, module version, class name, method name, file
 *                                      name (values), zigzag line; each field as OBJECT's (the application
 *                                      classes' only), cause (a value), varint count and suppressed exceptions
 * BACK_REFERENCE                       varint handle: an object already written in this payload
 * </pre>
 *
 * A record or object field of primitive type is written without a tag, in its tag's encoding.
 *
 * <p>A class is written once per payload: {@code 0}, its binary name, and a fingerprint of its fields
 * (so a value cached by another version of the class reads as an error, not as shuffled fields); later
 * mentions are its index in that table plus one.
 *
 * <p>Objects with identity (records, objects, arrays, collections, enum constants, {@code Date}) get
 * handles in the order they are first written, which is the order the reader meets them; a second
 * mention is a back-reference, so sharing and cycles survive. Immutable values (strings, numbers, time
 * types, optionals) get none: their identity does not matter.
 */
final class Tag {

    static final byte MAGIC = (byte) 0xCA;
    static final byte VERSION = 1;

    static final int NULL = 0;
    static final int TRUE = 1;
    static final int FALSE = 2;
    static final int BYTE = 3;
    static final int SHORT = 4;
    static final int CHAR = 5;
    static final int INT = 6;
    static final int LONG = 7;
    static final int FLOAT = 8;
    static final int DOUBLE = 9;
    static final int STRING = 10;
    static final int STRING_UTF16 = 11;
    static final int BIG_INTEGER = 12;
    static final int BIG_DECIMAL = 13;
    static final int UUID = 14;
    static final int DATE = 15;
    static final int BARE_OBJECT = 16;
    static final int JDK_VALUE = 17;
    static final int CONSTANT = 18;

    static final int INSTANT = 20;
    static final int LOCAL_DATE = 21;
    static final int LOCAL_TIME = 22;
    static final int LOCAL_DATE_TIME = 23;
    static final int OFFSET_DATE_TIME = 24;
    static final int OFFSET_TIME = 25;
    static final int ZONED_DATE_TIME = 26;
    static final int ZONE_OFFSET = 27;
    static final int ZONE_REGION = 28;
    static final int DURATION = 29;
    static final int PERIOD = 30;
    static final int YEAR = 31;
    static final int YEAR_MONTH = 32;
    static final int MONTH_DAY = 33;

    static final int OPTIONAL_EMPTY = 40;
    static final int OPTIONAL = 41;
    static final int OPTIONAL_INT = 42;
    static final int OPTIONAL_INT_EMPTY = 43;
    static final int OPTIONAL_LONG = 44;
    static final int OPTIONAL_LONG_EMPTY = 45;
    static final int OPTIONAL_DOUBLE = 46;
    static final int OPTIONAL_DOUBLE_EMPTY = 47;

    static final int BACK_REFERENCE = 50;
    static final int ENUM = 51;
    static final int RECORD = 52;
    static final int OBJECT = 53;
    static final int OBJECT_ARRAY = 54;
    static final int BOOLEAN_ARRAY = 55;
    static final int BYTE_ARRAY = 56;
    static final int SHORT_ARRAY = 57;
    static final int CHAR_ARRAY = 58;
    static final int INT_ARRAY = 59;
    static final int LONG_ARRAY = 60;
    static final int FLOAT_ARRAY = 61;
    static final int DOUBLE_ARRAY = 62;
    /** An exception: {@code Throwable}'s state through its public methods, its subclasses' fields as an object's. */
    static final int THROWABLE = 64;

    static final int LIST_ARRAY = 70;
    static final int LIST_LINKED = 71;
    static final int SET_HASH = 73;
    static final int SET_LINKED = 74;
    static final int SET_TREE = 75;
    static final int SET_ENUM = 78;
    static final int MAP_HASH = 79;
    static final int MAP_LINKED = 80;
    static final int MAP_TREE = 81;
    static final int MAP_ENUM = 84;
    static final int JDK_COLLECTION = 85;

    // Never written: how the copier and the encoder see a class before they write what stands for it.
    /** A Hibernate persistent collection or proxy: written as the plain collection or the entity it stands for. */
    static final int HIBERNATE = 90;
    /** An application's subclass of a JDK collection that adds no state: copied as itself, written as its superclass. */
    static final int SUBCLASS = 91;

    private Tag() {
    }
}
