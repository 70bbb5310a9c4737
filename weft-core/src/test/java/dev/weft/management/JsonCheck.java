package dev.weft.management;

/** A strict JSON syntax check (RFC 8259) for the tests: throws at the first error, with its offset. */
final class JsonCheck {
    private final String s;
    private int i;

    private JsonCheck(String s) {
        this.s = s;
    }

    /** Throws {@link IllegalArgumentException} unless {@code json} is one well-formed JSON value. */
    static void valid(String json) {
        JsonCheck c = new JsonCheck(json);
        c.value();
        c.ws();
        if (c.i != json.length()) throw c.error("trailing text");
    }

    private IllegalArgumentException error(String what) {
        int from = Math.max(0, i - 30), to = Math.min(s.length(), i + 30);
        return new IllegalArgumentException(what + " at " + i + ": ..." + s.substring(from, to) + "...");
    }

    private void ws() {
        while (i < s.length() && " \t\n\r".indexOf(s.charAt(i)) >= 0) i++;
    }

    private void expect(char c) {
        ws();
        if (i >= s.length() || s.charAt(i) != c) throw error("expected '" + c + "'");
        i++;
    }

    private void value() {
        ws();
        if (i >= s.length()) throw error("unexpected end");
        char c = s.charAt(i);
        switch (c) {
            case '{' -> {
                i++;
                ws();
                if (s.charAt(i) == '}') { i++; return; }
                do { string(); expect(':'); value(); ws(); } while (s.charAt(i++) == ',');
                i--;
                expect('}');
            }
            case '[' -> {
                i++;
                ws();
                if (s.charAt(i) == ']') { i++; return; }
                do { value(); ws(); } while (s.charAt(i++) == ',');
                i--;
                expect(']');
            }
            case '"' -> string();
            default -> {
                if (s.startsWith("true", i)) i += 4;
                else if (s.startsWith("false", i)) i += 5;
                else if (s.startsWith("null", i)) i += 4;
                else number();
            }
        }
    }

    private void string() {
        ws();
        if (s.charAt(i) != '"') throw error("expected a string");
        i++;
        while (i < s.length()) {
            char c = s.charAt(i++);
            if (c == '"') return;
            if (c < 0x20) throw error("raw control character in a string");
            if (c == '\\') {
                char e = s.charAt(i++);
                if (e == 'u') {
                    for (int k = 0; k < 4; k++) {
                        if (Character.digit(s.charAt(i++), 16) < 0) throw error("bad \\u escape");
                    }
                } else if ("\"\\/bfnrt".indexOf(e) < 0) throw error("bad escape");
            }
        }
        throw error("unterminated string");
    }

    private void number() {
        int start = i;
        if (i < s.length() && s.charAt(i) == '-') i++;
        while (i < s.length() && "0123456789.eE+-".indexOf(s.charAt(i)) >= 0) i++;
        if (i == start || !s.substring(start, i).matches("-?(0|[1-9]\\d*)(\\.\\d+)?([eE][+-]?\\d+)?")) {
            throw error("bad number");
        }
    }
}
