package dev.recall.agent.config;

/**
 * Points at the characters of a setting that a reader of the file cannot see for what they are: invisible
 * ones (zero-width spaces, a byte-order mark, controls), spaces that are not the ASCII space, and letters
 * or digits outside ASCII in a value that must be ASCII (a key, a number, a duration). A message that
 * quotes {@code 'mаxSize'} with a Cyrillic {@code а} looks identical to the right spelling; naming the code
 * point is what lets the user find it. Stateless.
 */
public final class Characters {

    private Characters() {
    }

    /**
     * The first character of {@code text} that is not printable ASCII, described as
     * {@code "contains U+0430 CYRILLIC SMALL LETTER A at column 3"}, or {@code null} when there is none.
     *
     * @param column the column of the text's first character in its line (from 1), or 1 when unknown
     */
    public static String firstOdd(String text, int column) {
        int i = firstOddIndex(text);
        return i < 0 ? null : "contains " + describe(text.codePointAt(i)) + " at column " + (column + text.codePointCount(0, i));
    }

    /** The index of the first character of {@code text} that is not printable ASCII, or -1. */
    public static int firstOddIndex(String text) {
        if (text == null) {
            return -1;
        }
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            if (cp < 0x20 || cp > 0x7E) {
                return i;
            }
            i += Character.charCount(cp);
        }
        return -1;
    }

    /**
     * {@code text} as its reader probably meant it, for "did you mean": invisible characters dropped, look-alike
     * letters and full-width forms taken as the ASCII they look like. Never used as a value.
     */
    public static String plain(String text) {
        StringBuilder b = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (isInvisible(cp)) {
                continue;
            }
            int ascii = lookAlike(cp);
            if (ascii == 0 && cp >= 0xFF01 && cp <= 0xFF5E) {
                ascii = cp - 0xFF01 + '!';
            }
            b.appendCodePoint(ascii != 0 ? ascii : cp);
        }
        return b.toString();
    }

    /** {@code U+200B ZERO WIDTH SPACE}, with what it looks like when that is a trap. */
    public static String describe(int cp) {
        String name = Character.getName(cp);
        String described = String.format("U+%04X", cp) + (name == null ? "" : " " + name);
        String kind = isInvisible(cp) ? "an invisible character" : Character.isWhitespace(cp) || Character.isSpaceChar(cp)
                ? "a space that is not the ASCII space" : Character.isDigit(cp) ? "a digit that is not ASCII 0-9"
                : lookAlike(cp) != 0 ? "a look-alike of '" + (char) lookAlike(cp) + "'" : null;
        return kind == null ? described : described + " (" + kind + ")";
    }

    /**
     * Whether the character shows as nothing: controls, format characters (zero-width spaces and joiners,
     * the byte-order mark, direction marks) and the other characters Java ignores in identifiers.
     */
    public static boolean isInvisible(int cp) {
        return Character.isIdentifierIgnorable(cp) || Character.getType(cp) == Character.FORMAT
                || Character.getType(cp) == Character.CONTROL && cp != '\t' && cp != '\n' && cp != '\r';
    }

    /** The ASCII letter a Cyrillic or Greek letter is drawn like, or 0. Covers the ones seen in pasted text. */
    static int lookAlike(int cp) {
        String from = "\u0430\u0435\u043E\u0440\u0441\u0443\u0445\u0456\u0458\u0455\u0410\u0412\u0415\u041A\u041C\u041D"
                + "\u041E\u0420\u0421\u0422\u0425\u0406\u0408\u0405\u03BF\u03B1\u039F\u0391\u0392\u0395\u0396\u0397\u0399"
                + "\u039A\u039C\u039D\u03A1\u03A4\u03A5\u03A7\u03BD";
        String to = "aeopcyxijsABEKMHOPCTXIJSoaOABEZHIKMNPTYXv";
        int at = cp <= 0xFFFF ? from.indexOf((char) cp) : -1;
        return at < 0 ? 0 : to.charAt(at);
    }
}
