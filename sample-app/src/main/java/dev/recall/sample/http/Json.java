package dev.recall.sample.http;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Just enough JSON for this service: writing flat objects and lists of them, reading one flat object of
 * strings and numbers. A library would be one more thing for the demo to download and explain.
 */
public final class Json {

    private Json() {
    }

    /** An object with fields in the given order; values are strings, numbers, booleans, null, maps or collections. */
    public static String object(Object... namesAndValues) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            fields.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return write(fields);
    }

    public static String write(Object value) {
        StringBuilder b = new StringBuilder();
        write(b, value);
        return b.toString();
    }

    private static void write(StringBuilder b, Object value) {
        if (value == null) {
            b.append("null");
        } else if (value instanceof String s) {
            string(b, s);
        } else if (value instanceof BigDecimal d) {
            b.append(d.toPlainString());
        } else if (value instanceof Number || value instanceof Boolean) {
            b.append(value);
        } else if (value instanceof Map<?, ?> m) {
            b.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) {
                    b.append(',');
                }
                string(b, String.valueOf(e.getKey()));
                b.append(':');
                write(b, e.getValue());
                first = false;
            }
            b.append('}');
        } else if (value instanceof Collection<?> c) {
            b.append('[');
            boolean first = true;
            for (Object o : c) {
                if (!first) {
                    b.append(',');
                }
                write(b, o);
                first = false;
            }
            b.append(']');
        } else if (value instanceof RawJson raw) {
            b.append(raw.json());
        } else {
            string(b, value.toString());
        }
    }

    /** Already-serialized JSON to embed as it is. */
    public record RawJson(String json) {
    }

    private static void string(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }

    /**
     * Reads a flat object: {@code {"price": 12.5, "name": "Tent"}}. Values come back as text (numbers
     * unchanged, strings unescaped), so callers parse what they expect.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static Map<String, String> readFlatObject(String json) {
        Map<String, String> out = new LinkedHashMap<>();
        Reader r = new Reader(json);
        r.skip();
        r.expect('{');
        r.skip();
        if (r.peek() == '}') {
            return out;
        }
        while (true) {
            r.skip();
            String name = r.string();
            r.skip();
            r.expect(':');
            r.skip();
            String value = r.peek() == '"' ? r.string() : r.bare();
            out.put(name, value);
            r.skip();
            char c = r.next();
            if (c == '}') {
                return out;
            }
            if (c != ',') {
                throw new IllegalArgumentException("expected ',' or '}' at position " + (r.pos - 1));
            }
        }
    }

    private static final class Reader {
        final String s;
        int pos;

        Reader(String s) {
            this.s = s == null ? "" : s;
        }

        void skip() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }

        char peek() {
            if (pos >= s.length()) {
                throw new IllegalArgumentException("unexpected end of JSON");
            }
            return s.charAt(pos);
        }

        char next() {
            char c = peek();
            pos++;
            return c;
        }

        void expect(char c) {
            if (next() != c) {
                throw new IllegalArgumentException("expected '" + c + "' at position " + (pos - 1));
            }
        }

        String string() {
            expect('"');
            StringBuilder b = new StringBuilder();
            while (true) {
                char c = next();
                if (c == '"') {
                    return b.toString();
                }
                if (c == '\\') {
                    char e = next();
                    switch (e) {
                        case 'n' -> b.append('\n');
                        case 't' -> b.append('\t');
                        case 'r' -> b.append('\r');
                        case 'u' -> {
                            b.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
                            pos += 4;
                        }
                        default -> b.append(e);
                    }
                } else {
                    b.append(c);
                }
            }
        }

        String bare() {
            int start = pos;
            while (pos < s.length() && ",}".indexOf(s.charAt(pos)) < 0 && !Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
            if (start == pos) {
                throw new IllegalArgumentException("expected a value at position " + start);
            }
            return s.substring(start, pos);
        }
    }
}
