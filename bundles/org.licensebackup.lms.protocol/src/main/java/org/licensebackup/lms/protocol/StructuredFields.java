package org.licensebackup.lms.protocol;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The part of RFC 8941 (Structured Field Values for HTTP) that HTTP message signatures use:
 * dictionaries whose members are inner lists or items, with parameters; items are strings, integers,
 * byte sequences, tokens and booleans. Serializing gives the canonical form that RFC 9421 signs.
 * Parsing is strict and bounded by {@link Limits#MAX_HEADER_CHARS}; anything else is
 * {@link ErrorCode#BAD_REQUEST}.
 */
public final class StructuredFields {

    /** A token (an unquoted identifier), to tell it from a string. */
    public record Token(String value) {
    }

    /** A bare item with its parameters. */
    public record Item(Object value, Map<String, Object> parameters) {
    }

    /** An inner list of items, with its parameters. */
    public record InnerList(List<Item> items, Map<String, Object> parameters) {
    }

    private static final long MAX_INTEGER = 999_999_999_999_999L;

    private final String input;
    private int position;

    private StructuredFields(String input) {
        this.input = input;
    }

    /** A dictionary: member names to {@link Item} or {@link InnerList}, in order. */
    public static Map<String, Object> parseDictionary(String header) {
        if (header == null) {
            throw bad("a structured header is missing");
        }
        if (header.length() > Limits.MAX_HEADER_CHARS) {
            throw bad("a structured header of " + header.length() + " characters; at most " + Limits.MAX_HEADER_CHARS);
        }
        StructuredFields parser = new StructuredFields(header);
        return parser.dictionary();
    }

    private Map<String, Object> dictionary() {
        Map<String, Object> members = new LinkedHashMap<>();
        skipSpaces();
        while (position < input.length()) {
            String name = key();
            Object value;
            if (peek() == '=') {
                position++;
                value = peek() == '(' ? innerList() : item();
            } else {
                value = new Item(Boolean.TRUE, parameters());
            }
            members.put(name, value);
            skipOws();
            if (position == input.length()) {
                return members;
            }
            expect(',');
            skipOws();
            if (position == input.length()) {
                throw bad("a structured header ends with a comma");
            }
        }
        return members;
    }

    private InnerList innerList() {
        expect('(');
        List<Item> items = new ArrayList<>();
        while (true) {
            skipSpaces();
            if (peek() == ')') {
                position++;
                return new InnerList(List.copyOf(items), parameters());
            }
            items.add(item());
            char next = peek();
            if (next != ' ' && next != ')') {
                throw bad("an inner list's items must be separated by spaces");
            }
        }
    }

    private Item item() {
        return new Item(bareItem(), parameters());
    }

    private Map<String, Object> parameters() {
        Map<String, Object> parameters = new LinkedHashMap<>();
        while (peek() == ';') {
            position++;
            skipSpaces();
            String name = key();
            Object value = Boolean.TRUE;
            if (peek() == '=') {
                position++;
                value = bareItem();
            }
            parameters.put(name, value);
        }
        return parameters;
    }

    private Object bareItem() {
        char first = peek();
        if (first == '"') {
            return string();
        }
        if (first == ':') {
            return byteSequence();
        }
        if (first == '?') {
            position++;
            char value = next();
            if (value != '0' && value != '1') {
                throw bad("a boolean is ?0 or ?1");
            }
            return value == '1';
        }
        if (first == '-' || first >= '0' && first <= '9') {
            return integer();
        }
        if (first == '*' || Character.isLetter(first) && first < 128) {
            int start = position;
            while (position < input.length() && isTokenChar(input.charAt(position))) {
                position++;
            }
            return new Token(input.substring(start, position));
        }
        throw bad("unexpected '" + first + "' in a structured header");
    }

    private String string() {
        expect('"');
        StringBuilder value = new StringBuilder();
        while (true) {
            char c = next();
            if (c == '"') {
                return value.toString();
            }
            if (c == '\\') {
                char escaped = next();
                if (escaped != '"' && escaped != '\\') {
                    throw bad("a string escapes only \" and \\");
                }
                value.append(escaped);
            } else if (c < 0x20 || c > 0x7E) {
                throw bad("a string holds only printable ASCII");
            } else {
                value.append(c);
            }
        }
    }

    private byte[] byteSequence() {
        expect(':');
        int end = input.indexOf(':', position);
        if (end < 0) {
            throw bad("a byte sequence is not closed");
        }
        String base64 = input.substring(position, end);
        position = end + 1;
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw bad("a byte sequence is not base64");
        }
    }

    private long integer() {
        int start = position;
        if (peek() == '-') {
            position++;
        }
        int digitsStart = position;
        while (position < input.length() && Character.isDigit(input.charAt(position)) && input.charAt(position) < 128) {
            position++;
        }
        int digits = position - digitsStart;
        if (digits == 0 || digits > 15) {
            throw bad("an integer has 1 to 15 digits");
        }
        long value = Long.parseLong(input.substring(start, position));
        if (Math.abs(value) > MAX_INTEGER) {
            throw bad("an integer out of range");
        }
        return value;
    }

    private String key() {
        int start = position;
        char first = peek();
        if (!(first == '*' || first >= 'a' && first <= 'z')) {
            throw bad("a key starts with a lowercase letter or *");
        }
        while (position < input.length()) {
            char c = input.charAt(position);
            if (c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.' || c == '*') {
                position++;
            } else {
                break;
            }
        }
        return input.substring(start, position);
    }

    private static boolean isTokenChar(char c) {
        return c > 0x20 && c < 0x7F && "\"(),;<=>?@[\\]{}".indexOf(c) < 0 || c == ':' || c == '/';
    }

    private char peek() {
        return position < input.length() ? input.charAt(position) : '\0';
    }

    private char next() {
        if (position >= input.length()) {
            throw bad("a structured header ends too soon");
        }
        return input.charAt(position++);
    }

    private void expect(char c) {
        if (next() != c) {
            throw bad("expected '" + c + "' at " + (position - 1) + " in a structured header");
        }
    }

    private void skipSpaces() {
        while (peek() == ' ') {
            position++;
        }
    }

    private void skipOws() {
        while (peek() == ' ' || peek() == '\t') {
            position++;
        }
    }

    // Serialization, canonical as RFC 8941 section 4.1 gives it.

    public static String serialize(InnerList list) {
        StringBuilder out = new StringBuilder("(");
        for (int i = 0; i < list.items().size(); i++) {
            if (i > 0) {
                out.append(' ');
            }
            Item item = list.items().get(i);
            out.append(serializeBareItem(item.value())).append(serializeParameters(item.parameters()));
        }
        return out.append(')').append(serializeParameters(list.parameters())).toString();
    }

    public static String serialize(Item item) {
        return serializeBareItem(item.value()) + serializeParameters(item.parameters());
    }

    public static String serializeParameters(Map<String, Object> parameters) {
        StringBuilder out = new StringBuilder();
        parameters.forEach((name, value) -> {
            out.append(';').append(name);
            if (!Boolean.TRUE.equals(value)) {
                out.append('=').append(serializeBareItem(value));
            }
        });
        return out.toString();
    }

    public static String serializeBareItem(Object value) {
        if (value instanceof String string) {
            StringBuilder out = new StringBuilder("\"");
            for (char c : string.toCharArray()) {
                if (c < 0x20 || c > 0x7E) {
                    throw new IllegalArgumentException("a structured string holds only printable ASCII");
                }
                if (c == '"' || c == '\\') {
                    out.append('\\');
                }
                out.append(c);
            }
            return out.append('"').toString();
        }
        if (value instanceof Long || value instanceof Integer) {
            return value.toString();
        }
        if (value instanceof byte[] bytes) {
            return ":" + Base64.getEncoder().encodeToString(bytes) + ":";
        }
        if (value instanceof Boolean bool) {
            return bool ? "?1" : "?0";
        }
        if (value instanceof Token token) {
            return token.value();
        }
        throw new IllegalArgumentException("not a structured field item: " + value);
    }

    private static ProtocolException bad(String message) {
        return new ProtocolException(ErrorCode.BAD_REQUEST, message);
    }
}
