package dev.recall.agent.config;

import dev.recall.agent.config.YamlNode.Entry;
import dev.recall.agent.config.YamlNode.Mapping;
import dev.recall.agent.config.YamlNode.Scalar;
import dev.recall.agent.config.YamlNode.Sequence;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the YAML a configuration file is written in. The file is read inside {@code premain}, while the
 * application waits; a general-purpose YAML library, loaded and run cold there, cost about 60 ms of every
 * start, this reader a few.
 *
 * <p>What it reads: block mappings and sequences (a sequence may sit at its key's indentation), flow
 * collections ({@code [a, b]}, {@code {uri: x, secret: y}}) on one line or several, plain, single- and
 * double-quoted scalars, plain scalars continued on more indented lines, comments, and {@code ---} /
 * {@code ...}. What it refuses, saying so with the line: anchors, aliases, tags, block scalars
 * ({@code |}, {@code >}), several documents, tabs in indentation, control characters, and collections
 * nested more than {@value #MAX_DEPTH} levels deep (a real file needs three; the limit keeps a hostile file from
 * exhausting the stack of the thread running {@code premain}). Every step is linear in the size of the file.
 * Values stay strings; the loader gives them their meaning.
 *
 * <p>One instance per read; not shared.
 */
final class YamlReader {

    /** The file is not YAML this reader understands; {@link #line} is where, from 1. */
    static final class YamlException extends Exception {
        final int line;

        YamlException(int line, String problem) {
            super(problem);
            this.line = line;
        }
    }

    /** The deepest nesting of lists and sections, block and flow alike, that is read. */
    static final int MAX_DEPTH = 64;

    /** How much of a value an error message quotes. */
    private static final int QUOTED = 40;

    /** A line that holds something: its number, its indentation and its text without the comment. */
    private record Line(int number, int indent, String text) {
    }

    private final List<Line> lines;
    private int pos;

    private YamlReader(List<Line> lines) {
        this.lines = lines;
    }

    /** The document's root, or {@code null} for a file with nothing in it but comments. */
    static YamlNode read(String text) throws YamlException {
        YamlReader reader = new YamlReader(lines(text));
        if (reader.lines.isEmpty()) {
            return null;
        }
        YamlNode root = reader.block(-1, 0);
        if (reader.pos < reader.lines.size()) {
            Line l = reader.lines.get(reader.pos);
            throw new YamlException(l.number, "this line does not fit the indentation of the lines above it");
        }
        return root;
    }

    private static List<Line> lines(String text) throws YamlException {
        List<Line> lines = new ArrayList<>();
        // An editor's byte order mark is not part of the first key.
        String[] raw = (text.startsWith("\uFEFF") ? text.substring(1) : text).split("\r?\n", -1);
        int ended = 0;
        for (int i = 0; i < raw.length; i++) {
            String s = raw[i];
            int number = i + 1;
            refuseControlCharacters(s, number);
            int indent = 0;
            while (indent < s.length() && s.charAt(indent) == ' ') {
                indent++;
            }
            if (indent < s.length() && s.charAt(indent) == '\t' && !s.isBlank()) {
                throw new YamlException(number, "a tab in the indentation; indent with spaces, not tabs");
            }
            String content = withoutComment(s.substring(indent)).strip();
            if (content.isEmpty()) {
                continue;
            }
            if (ended > 0) {
                throw new YamlException(number, "text after the document end marker '...' on line " + ended
                        + "; the file holds one document: delete the '...' line, or everything after it");
            }
            if (indent == 0 && content.equals("...")) {
                ended = number;
                continue;
            }
            if (indent == 0 && (content.equals("---") || content.startsWith("--- "))) {
                if (!lines.isEmpty()) {
                    throw new YamlException(number, "a second document ('---'); the file holds one");
                }
                content = content.substring(3).strip();
                if (content.isEmpty()) {
                    continue;
                }
                indent = s.indexOf(content, 3);
            }
            if (indent == 0 && content.startsWith("%")) {
                throw new YamlException(number, "YAML directives (%) are not supported; remove the line");
            }
            lines.add(new Line(number, indent, content));
        }
        return lines;
    }

    /** Control characters are never part of a setting; one in the file is damage or an editor's accident. */
    private static void refuseControlCharacters(String s, int line) throws YamlException {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\r') {
                throw new YamlException(line, "a carriage return without a line feed at column " + (i + 1)
                        + "; save the file with Unix (LF) or Windows (CRLF) line ends");
            }
            if ((c < 0x20 && c != '\t') || c == 0x7F) {
                String code = Integer.toHexString(c | 0x10000).substring(1).toUpperCase();
                throw new YamlException(line, "a control character (U+" + code + ") at column " + (i + 1)
                        + "; remove it, or write it as an escape inside double quotes, like \"\\t\"");
            }
        }
    }

    private static YamlException tooDeep(int line) {
        return new YamlException(line, "lists and sections nested more than " + MAX_DEPTH + " levels deep; a Recall "
                + "file needs three (the top level, a list like methods:, its entries): check the brackets and the "
                + "indentation on this line and the ones above it");
    }

    /** The start of {@code s}, for a message: a damaged file can put megabytes after the point of the error. */
    static String abbreviate(String s) {
        return s.length() <= QUOTED ? s : s.substring(0, QUOTED) + "... (" + (s.length() - QUOTED) + " more characters)";
    }

    /** The text before a comment: a '#' at the start or after a space, outside quotes. */
    private static String withoutComment(String s) {
        boolean tokenStart = true;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c == '"' || c == '\'') && tokenStart) {
                int end = closingQuote(s, i);
                if (end < 0) {
                    return s; // reported when the value is read
                }
                i = end;
                tokenStart = false;
            } else if (c == '#' && (i == 0 || s.charAt(i - 1) == ' ' || s.charAt(i - 1) == '\t')) {
                return s.substring(0, i);
            } else if (c != ' ' && c != '\t') {
                tokenStart = c == '[' || c == '{' || c == ',' || ((c == ':' || c == '-') && spaceOrEnd(s, i + 1));
            }
        }
        return s;
    }

    /**
     * The node starting at the current line, which is indented more than {@code parentIndent}.
     *
     * @param depth how many lists and sections enclose it
     */
    private YamlNode block(int parentIndent, int depth) throws YamlException {
        Line l = lines.get(pos);
        if (isItem(l.text)) {
            return sequence(l.indent, depth);
        }
        if (keyEnd(l.text) >= 0) {
            return mapping(l.indent, depth);
        }
        pos++;
        return inline(l.text, l.number, parentIndent, depth);
    }

    private Mapping mapping(int indent, int depth) throws YamlException {
        List<Entry> entries = new ArrayList<>();
        int first = lines.get(pos).number;
        if (depth >= MAX_DEPTH) {
            throw tooDeep(first);
        }
        while (pos < lines.size()) {
            Line l = lines.get(pos);
            if (l.indent < indent || (l.indent == indent && isItem(l.text))) {
                break;
            }
            if (l.indent > indent) {
                throw new YamlException(l.number, "this line is indented more than the key above it, which already has a value");
            }
            int colon = keyEnd(l.text);
            if (colon < 0) {
                throw new YamlException(l.number, "expected 'key: value' here");
            }
            Scalar key = new Scalar(scalarText(l.text.substring(0, colon).strip(), l.number), l.number);
            String rest = l.text.substring(colon + 1).strip();
            pos++;
            YamlNode value;
            if (!rest.isEmpty()) {
                value = inline(rest, l.number, indent, depth + 1);
            } else if (pos < lines.size() && lines.get(pos).indent > indent) {
                value = block(indent, depth + 1);
            } else if (pos < lines.size() && lines.get(pos).indent == indent && isItem(lines.get(pos).text)) {
                value = sequence(indent, depth + 1);
            } else {
                value = new Scalar("", l.number);
            }
            entries.add(new Entry(key, value));
        }
        return new Mapping(entries, first);
    }

    private Sequence sequence(int indent, int depth) throws YamlException {
        List<YamlNode> items = new ArrayList<>();
        int first = lines.get(pos).number;
        if (depth >= MAX_DEPTH) {
            throw tooDeep(first);
        }
        while (pos < lines.size()) {
            Line l = lines.get(pos);
            if (l.indent < indent || (l.indent == indent && !isItem(l.text))) {
                break;
            }
            if (l.indent > indent) {
                throw new YamlException(l.number, "this line is indented more than the list entry above it, but is not part of it");
            }
            String afterDash = l.text.substring(1);
            String rest = afterDash.strip();
            if (rest.isEmpty()) {
                pos++;
                items.add(pos < lines.size() && lines.get(pos).indent > indent ? block(indent, depth + 1) : new Scalar("", l.number));
            } else if (isItem(rest) || keyEnd(rest) >= 0) {
                // A section or list that starts on the entry's own line: read it as if it began a line of its own.
                int column = indent + 1 + afterDash.indexOf(rest.charAt(0));
                lines.set(pos, new Line(l.number, column, rest));
                items.add(block(indent, depth + 1));
            } else {
                pos++;
                items.add(inline(rest, l.number, indent, depth + 1));
            }
        }
        return new Sequence(items, first);
    }

    /** A value written after {@code key:} or {@code -}; plain ones may go on over lines indented deeper than the key. */
    private YamlNode inline(String text, int line, int parentIndent, int depth) throws YamlException {
        char c = text.charAt(0);
        if (c == '[' || c == '{') {
            StringBuilder all = new StringBuilder(text);
            List<int[]> starts = new ArrayList<>(); // {offset in all, line number} of each joined line
            starts.add(new int[] {0, line});
            Brackets brackets = new Brackets();
            int scanned = 0;
            while (!brackets.closedAfter(all, scanned)) {
                scanned = all.length();
                if (pos >= lines.size() || lines.get(pos).indent <= parentIndent) {
                    throw new YamlException(line, "the '" + c + "' opened here is never closed");
                }
                Line next = lines.get(pos++);
                all.append(' ');
                starts.add(new int[] {all.length(), next.number});
                all.append(next.text);
            }
            Flow flow = new Flow(all.toString(), starts);
            YamlNode value = flow.value(depth);
            flow.end();
            return value;
        }
        if (c == '"' || c == '\'') {
            int end = closingQuote(text, 0);
            if (end < 0) {
                throw new YamlException(line, "the quoted value is never closed; close it on the same line");
            }
            if (!text.substring(end + 1).isBlank()) {
                throw new YamlException(line, "unexpected text after the quoted value");
            }
            return new Scalar(unquote(text.substring(0, end + 1), line), line);
        }
        refuseIndicator(c, line);
        StringBuilder value = new StringBuilder(text);
        while (pos < lines.size() && lines.get(pos).indent > parentIndent) {
            Line next = lines.get(pos);
            if (keyEnd(next.text) >= 0 || isItem(next.text)) {
                throw new YamlException(next.number, "this line is indented more than the key above it, which already has a value");
            }
            value.append(' ').append(next.text);
            pos++;
        }
        return new Scalar(value.toString(), line);
    }

    private static void refuseIndicator(char c, int line) throws YamlException {
        if (c == '&' || c == '*' || c == '!') {
            throw new YamlException(line, "anchors, aliases and tags (&, *, !) are not supported here; write the value itself");
        }
        if (c == '|' || c == '>') {
            throw new YamlException(line, "block scalars (| and >) are not supported here; write the value on one line, quoted");
        }
        if (c == '@' || c == '`') {
            throw new YamlException(line, "a value cannot start with '" + c + "'; put it in quotes");
        }
    }

    /**
     * Whether every bracket of a flow collection is closed (quotes respected), fed the collection's text as its
     * lines are joined: each character is looked at once, however many lines the collection spans.
     */
    private static final class Brackets {
        private int depth;
        private boolean tokenStart = true;
        /** The quote of the quoted value being read, or 0. */
        private char quote;
        /** Inside double quotes, right after a backslash. */
        private boolean escaped;
        /** Inside single quotes, right after a quote: the end of the value unless another quote follows. */
        private boolean quoteSeen;

        boolean closedAfter(CharSequence s, int from) {
            for (int i = from; i < s.length(); i++) {
                char c = s.charAt(i);
                if (quote == '"') {
                    if (escaped) {
                        escaped = false;
                    } else if (c == '\\') {
                        escaped = true;
                    } else if (c == '"') {
                        quote = 0;
                        tokenStart = false;
                    }
                    continue;
                }
                if (quote == '\'') {
                    if (!quoteSeen) {
                        quoteSeen = c == '\'';
                        continue;
                    }
                    quoteSeen = false;
                    if (c == '\'') {
                        continue; // '' is a quote inside the value
                    }
                    quote = 0;
                    tokenStart = false;
                }
                if ((c == '"' || c == '\'') && tokenStart) {
                    quote = c;
                    continue;
                }
                if (c == '[' || c == '{') {
                    depth++;
                } else if (c == ']' || c == '}') {
                    depth--;
                }
                if (c != ' ') {
                    tokenStart = c == '[' || c == '{' || c == ',' || c == ':';
                }
            }
            boolean inQuotes = quote == '"' || (quote == '\'' && !quoteSeen);
            return !inQuotes && depth <= 0;
        }
    }

    private static boolean isItem(String text) {
        return text.equals("-") || text.startsWith("- ");
    }

    /** The index of the colon ending a block mapping key, or -1 if the text is not {@code key: ...}. */
    private static int keyEnd(String t) {
        if (t.startsWith("\"") || t.startsWith("'")) {
            int i = closingQuote(t, 0);
            if (i < 0) {
                return -1;
            }
            i++;
            while (i < t.length() && t.charAt(i) == ' ') {
                i++;
            }
            return i < t.length() && t.charAt(i) == ':' && spaceOrEnd(t, i + 1) ? i : -1;
        }
        if (t.startsWith("[") || t.startsWith("{")) {
            return -1;
        }
        for (int i = 0; i < t.length(); i++) {
            if (t.charAt(i) == ':' && spaceOrEnd(t, i + 1)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean spaceOrEnd(String s, int i) {
        return i >= s.length() || s.charAt(i) == ' ' || s.charAt(i) == '\t';
    }

    /** The index of the quote closing the one at {@code start}, or -1. */
    private static int closingQuote(String s, int start) {
        char q = s.charAt(start);
        for (int i = start + 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (q == '"' && c == '\\') {
                i++;
            } else if (c == q) {
                if (q == '\'' && i + 1 < s.length() && s.charAt(i + 1) == '\'') {
                    i++;
                } else {
                    return i;
                }
            }
        }
        return -1;
    }

    private static String scalarText(String token, int line) throws YamlException {
        return token.startsWith("\"") || token.startsWith("'") ? unquote(token, line) : token;
    }

    /** The value of a quoted scalar, quotes included in {@code token}. */
    private static String unquote(String token, int line) throws YamlException {
        String body = token.substring(1, token.length() - 1);
        if (token.charAt(0) == '\'') {
            return body.replace("''", "'");
        }
        StringBuilder b = new StringBuilder(body.length());
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c != '\\') {
                b.append(c);
                continue;
            }
            char e = ++i < body.length() ? body.charAt(i) : ' ';
            switch (e) {
                case '\\', '"', '/' -> b.append(e);
                case 'n' -> b.append('\n');
                case 't' -> b.append('\t');
                case 'r' -> b.append('\r');
                case '0' -> b.append('\0');
                case 'u' -> {
                    try {
                        b.append((char) Integer.parseInt(body.substring(i + 1, i + 5), 16));
                    } catch (NumberFormatException | StringIndexOutOfBoundsException bad) {
                        throw new YamlException(line, "'\\u' needs four hex digits");
                    }
                    i += 4;
                }
                default -> throw new YamlException(line, "unknown escape '\\" + e + "' in a double-quoted value; "
                        + "write '\\\\' for a backslash, or use single quotes");
            }
        }
        return b.toString();
    }

    /** A flow collection, all its lines joined into one. */
    private static final class Flow {
        private final String s;
        private final List<int[]> starts;
        private int i;

        Flow(String s, List<int[]> starts) {
            this.s = s;
            this.starts = starts;
        }

        /** The line of the character at {@code offset}. */
        private int lineAt(int offset) {
            int low = 0;
            int high = starts.size() - 1;
            while (low < high) { // the last start at or before offset
                int mid = (low + high + 1) >>> 1;
                if (starts.get(mid)[0] <= offset) {
                    low = mid;
                } else {
                    high = mid - 1;
                }
            }
            return starts.get(low)[1];
        }

        /** @param depth how many lists and sections enclose the value */
        YamlNode value(int depth) throws YamlException {
            skipSpaces();
            if (i >= s.length()) {
                return new Scalar("", lineAt(i));
            }
            char c = s.charAt(i);
            int line = lineAt(i);
            if ((c == '[' || c == '{') && depth >= MAX_DEPTH) {
                throw tooDeep(line);
            }
            if (c == '[') {
                i++;
                List<YamlNode> items = new ArrayList<>();
                while (!closes(']')) {
                    items.add(value(depth + 1));
                    separator(']');
                }
                return new Sequence(items, line);
            }
            if (c == '{') {
                i++;
                List<Entry> entries = new ArrayList<>();
                while (!closes('}')) {
                    Scalar key = scalar();
                    skipSpaces();
                    YamlNode value = new Scalar("", lineAt(i));
                    if (i < s.length() && s.charAt(i) == ':') {
                        i++;
                        value = value(depth + 1);
                    }
                    entries.add(new Entry(key, value));
                    separator('}');
                }
                return new Mapping(entries, line);
            }
            return scalar();
        }

        private Scalar scalar() throws YamlException {
            skipSpaces();
            int line = lineAt(i);
            char c = i < s.length() ? s.charAt(i) : ' ';
            if (c == '"' || c == '\'') {
                int end = closingQuote(s, i);
                if (end < 0) {
                    throw new YamlException(line, "the quoted value is never closed");
                }
                String v = unquote(s.substring(i, end + 1), line);
                i = end + 1;
                return new Scalar(v, line);
            }
            refuseIndicator(c, line);
            int start = i;
            while (i < s.length()) {
                char d = s.charAt(i);
                int reference = d == '$' ? referenceEnd(i) : -1;
                if (reference > 0) {
                    i = reference; // ${NAME} inside [...]: secrets: [${RECALL_SECRET}, ${RECALL_SECRET_OLD}]
                    continue;
                }
                if (d == ',' || d == ']' || d == '}' || d == '[' || d == '{'
                        || (d == ':' && (i + 1 >= s.length() || " ,]}".indexOf(s.charAt(i + 1)) >= 0))) {
                    break;
                }
                i++;
            }
            return new Scalar(s.substring(start, i).strip(), line);
        }

        /** After the '}' of a {@code ${NAME}} starting at {@code at} (a name-like one, at most 64 characters), or -1. */
        private int referenceEnd(int at) {
            if (at + 1 >= s.length() || s.charAt(at + 1) != '{') {
                return -1;
            }
            for (int j = at + 2; j < s.length() && j < at + 66; j++) {
                char e = s.charAt(j);
                if (e == '}') {
                    return j > at + 2 ? j + 1 : -1;
                }
                if (!(Character.isLetterOrDigit(e) || e == '_' || e == '.' || e == '-')) {
                    return -1;
                }
            }
            return -1;
        }

        /** Consumes {@code close} if it comes next. */
        private boolean closes(char close) throws YamlException {
            skipSpaces();
            if (i >= s.length()) {
                throw new YamlException(lineAt(i), "the list or section is never closed with '" + close + "'");
            }
            if (s.charAt(i) == close) {
                i++;
                return true;
            }
            return false;
        }

        private void separator(char close) throws YamlException {
            skipSpaces();
            if (i < s.length() && s.charAt(i) == ',') {
                i++;
            } else if (i >= s.length() || s.charAt(i) != close) {
                throw new YamlException(lineAt(i), "expected ',' or '" + close + "' at \"" + abbreviate(s.substring(i)) + "\"");
            }
        }

        void end() throws YamlException {
            skipSpaces();
            if (i < s.length()) {
                throw new YamlException(lineAt(i), "unexpected \"" + abbreviate(s.substring(i)) + "\" after the closing bracket; "
                        + "a value that starts with '[' or '{' but is not a list or section must be quoted, "
                        + "like \"{0}:{1}\"");
            }
        }

        private void skipSpaces() {
            while (i < s.length() && s.charAt(i) == ' ') {
                i++;
            }
        }
    }
}
