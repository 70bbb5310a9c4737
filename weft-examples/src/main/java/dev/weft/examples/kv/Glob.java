package dev.weft.examples.kv;

/**
 * Redis's glob patterns for KEYS: {@code *}, {@code ?}, {@code [abc]}, {@code [^a-z]}, {@code \x}.
 *
 * <p>Polynomial, not exponential, in the number of {@code *}: as Redis since CVE-2022-36021, once
 * the rest of the pattern after a {@code *} failed to match from every position of the string,
 * no enclosing {@code *} tries a longer match either (that would only start the rest later).
 */
final class Glob {
    private Glob() {}

    static boolean matches(byte[] p, byte[] s) {
        return match(p, 0, s, 0, 0, new boolean[1]);
    }

    /** {@code skipLonger[0]} set: the rest after some {@code *} matches nowhere; give up. */
    private static boolean match(byte[] p, int pi, byte[] s, int si, int depth, boolean[] skipLonger) {
        if (depth > 1000) return false; // a pathological pattern: no match rather than a deep stack
        while (pi < p.length) {
            byte c = p[pi];
            switch (c) {
                case '*' -> {
                    while (pi + 1 < p.length && p[pi + 1] == '*') pi++;
                    if (pi + 1 == p.length) return true;
                    for (int k = si; k <= s.length; k++) {
                        if (match(p, pi + 1, s, k, depth + 1, skipLonger)) return true;
                        if (skipLonger[0]) return false;
                    }
                    skipLonger[0] = true;
                    return false;
                }
                case '?' -> {
                    if (si >= s.length) return false;
                    si++;
                    pi++;
                }
                case '[' -> {
                    if (si >= s.length) return false;
                    int i = pi + 1;
                    boolean not = i < p.length && p[i] == '^';
                    if (not) i++;
                    boolean hit = false;
                    while (i < p.length && p[i] != ']') {
                        if (p[i] == '\\' && i + 1 < p.length) {
                            i++;
                            if (p[i] == s[si]) hit = true;
                            i++;
                        } else if (i + 2 < p.length && p[i + 1] == '-' && p[i + 2] != ']') {
                            int lo = p[i] & 0xff, hi = p[i + 2] & 0xff, ch = s[si] & 0xff;
                            if (lo > hi) { int t = lo; lo = hi; hi = t; }
                            if (ch >= lo && ch <= hi) hit = true;
                            i += 3;
                        } else {
                            if (p[i] == s[si]) hit = true;
                            i++;
                        }
                    }
                    if (not) hit = !hit;
                    if (!hit) return false;
                    si++;
                    pi = i < p.length ? i + 1 : i;
                }
                case '\\' -> {
                    if (pi + 1 < p.length) pi++;
                    if (si >= s.length || p[pi] != s[si]) return false;
                    si++;
                    pi++;
                }
                default -> {
                    if (si >= s.length || c != s[si]) return false;
                    si++;
                    pi++;
                }
            }
        }
        return si == s.length;
    }
}
