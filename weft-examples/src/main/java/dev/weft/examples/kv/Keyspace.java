package dev.weft.examples.kv;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;

/**
 * The key-value data: strings with optional expiry times, and the commands' semantics as methods.
 * A plain class, not thread-safe: exactly one greenlet touches it (the {@link KeyspaceOwner}),
 * so no connection ever sees it in the middle of an update.
 *
 * <p>Expiry is lazy (a read of an expired key deletes it) and active ({@link #activeExpire}
 * samples keys with an expiry time, like Redis's cycle). Times are absolute milliseconds of the
 * clock given, so the simulated hub's virtual clock can drive it in tests.
 */
final class Keyspace {
    /** A command refused with a Redis-style error message ({@code ERR ...}, {@code WRONGTYPE ...}). */
    static final class KvError extends Exception {
        KvError(String message) {
            super(message, null, false, false);
        }
    }

    /** A key: the bytes with their hash, compared by content. */
    static final class Key {
        final byte[] bytes;
        private final int hash;

        Key(byte[] bytes) {
            this.bytes = bytes;
            this.hash = Arrays.hashCode(bytes);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.hash == hash && Arrays.equals(k.bytes, bytes);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    private static final class Entry {
        byte[] value;
        long expireAt; // absolute ms; 0: never
        int volatileIndex = -1; // position in volatileKeys when expireAt != 0

        Entry(byte[] value) {
            this.value = value;
        }
    }

    private final LongSupplier nowMillis;
    private final HashMap<Key, Entry> data = new HashMap<>();
    private final ArrayList<Key> volatileKeys = new ArrayList<>(); // keys with an expiry time
    private final SplittableRandom random = new SplittableRandom(1);
    private long expiredKeys;
    private boolean loading;

    Keyspace(LongSupplier nowMillis) {
        this.nowMillis = nowMillis;
    }

    long now() {
        return nowMillis.getAsLong();
    }

    /**
     * While the append-only file is replayed: no key expires and a time already past does not
     * delete (as Redis's {@code keyIsExpired} and {@code checkAlreadyExpired} while loading). The
     * log's records were applied to a keyspace where those keys were alive, so replaying them must
     * see the same keys; the ones past their time go afterwards, lazily or by the active cycle.
     */
    void loading(boolean on) {
        loading = on;
    }

    /** Keys deleted because they expired (lazily or by the active cycle). */
    long expiredKeys() {
        return expiredKeys;
    }

    private Entry live(Key k) {
        Entry e = data.get(k);
        if (e != null && e.expireAt != 0 && !loading && e.expireAt <= now()) {
            remove(k, e);
            expiredKeys++;
            return null;
        }
        return e;
    }

    private void remove(Key k, Entry e) {
        data.remove(k);
        untrack(e);
    }

    private void untrack(Entry e) {
        int i = e.volatileIndex;
        if (i < 0) return;
        Key last = volatileKeys.removeLast();
        if (i < volatileKeys.size()) {
            volatileKeys.set(i, last);
            data.get(last).volatileIndex = i;
        }
        e.volatileIndex = -1;
    }

    private void setExpire(Key k, Entry e, long at) {
        e.expireAt = at;
        if (at == 0) {
            untrack(e);
        } else if (e.volatileIndex < 0) {
            e.volatileIndex = volatileKeys.size();
            volatileKeys.add(k);
        }
    }

    // ------------------------------------------------------------------ the commands

    /** GET: the value, or null. */
    byte[] get(byte[] key) {
        Entry e = live(new Key(key));
        return e == null ? null : e.value;
    }

    /**
     * SET with its options: {@code expireAt} absolute ms (0: none), {@code nx} only if absent,
     * {@code xx} only if present, {@code keepTtl} keeps an existing expiry. Returns whether it set.
     */
    boolean set(byte[] key, byte[] value, long expireAt, boolean nx, boolean xx, boolean keepTtl) {
        Key k = new Key(key);
        Entry e = live(k);
        if ((nx && e != null) || (xx && e == null)) return false;
        if (e == null) {
            e = new Entry(value);
            data.put(k, e);
        } else {
            e.value = value;
        }
        if (!keepTtl) setExpire(k, e, expireAt);
        return true;
    }

    /** DEL: how many of the keys existed. */
    int del(List<byte[]> keys) {
        int n = 0;
        for (byte[] key : keys) {
            Key k = new Key(key);
            Entry e = live(k);
            if (e != null) {
                remove(k, e);
                n++;
            }
        }
        return n;
    }

    /** EXISTS: how many of the keys exist (a key named twice counts twice). */
    int exists(List<byte[]> keys) {
        int n = 0;
        for (byte[] key : keys) if (live(new Key(key)) != null) n++;
        return n;
    }

    /** INCRBY: the new value; the key keeps its expiry. */
    long incrBy(byte[] key, long delta) throws KvError {
        Key k = new Key(key);
        Entry e = live(k);
        long v = 0;
        if (e != null) v = parseLong(e.value);
        long r = v + delta;
        if (((v ^ r) & (delta ^ r)) < 0) throw new KvError("ERR increment or decrement would overflow");
        byte[] b = Long.toString(r).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        if (e == null) data.put(k, new Entry(b));
        else e.value = b;
        return r;
    }

    /** Sets the expiry to {@code at} (absolute ms); a time already past deletes the key. */
    boolean expireAt(byte[] key, long at) {
        Key k = new Key(key);
        Entry e = live(k);
        if (e == null) return false;
        if (at <= now() && !loading) {
            remove(k, e);
            return true;
        }
        setExpire(k, e, at);
        return true;
    }

    /** PTTL: -2 if the key does not exist, -1 if it has no expiry, else the ms left. */
    long pttl(byte[] key) {
        Entry e = live(new Key(key));
        if (e == null) return -2;
        if (e.expireAt == 0) return -1;
        return Math.max(0, e.expireAt - now());
    }

    /** The key's expiry time (absolute ms) as held, without expiring it; 0: none or no key. */
    long expireAtOf(byte[] key) {
        Entry e = data.get(new Key(key));
        return e == null ? 0 : e.expireAt;
    }

    /** PERSIST: whether an expiry was removed. */
    boolean persist(byte[] key) {
        Key k = new Key(key);
        Entry e = live(k);
        if (e == null || e.expireAt == 0) return false;
        setExpire(k, e, 0);
        return true;
    }

    /** DBSIZE: keys held, expired ones not yet deleted included (as Redis counts). */
    int size() {
        return data.size();
    }

    /** FLUSHDB. */
    void flush() {
        data.clear();
        volatileKeys.clear();
    }

    /** KEYS: the live keys matching the glob {@code pattern}. */
    List<byte[]> keys(byte[] pattern) {
        List<byte[]> out = new ArrayList<>();
        long now = now();
        for (var en : data.entrySet()) {
            Entry e = en.getValue();
            if (e.expireAt != 0 && e.expireAt <= now) continue;
            if (Glob.matches(pattern, en.getKey().bytes)) out.add(en.getKey().bytes);
        }
        return out;
    }

    /**
     * One active expiry cycle: samples up to 20 keys with an expiry, deletes the expired, and goes
     * again while more than a quarter of a sample had expired, at most {@code rounds} times.
     *
     * @return how many keys it deleted
     */
    int activeExpire(int rounds) {
        int deleted = 0;
        long now = now();
        for (int r = 0; r < rounds && !volatileKeys.isEmpty(); r++) {
            int sample = Math.min(20, volatileKeys.size()), expiredHere = 0;
            for (int i = 0; i < sample && !volatileKeys.isEmpty(); i++) {
                Key k = volatileKeys.get(random.nextInt(volatileKeys.size()));
                Entry e = data.get(k);
                if (e.expireAt <= now) {
                    remove(k, e);
                    expiredHere++;
                }
            }
            deleted += expiredHere;
            if (expiredHere * 4 <= sample) break;
        }
        expiredKeys += deleted;
        return deleted;
    }

    /**
     * Redis's {@code string2ll}: an optional {@code -}, then digits with no leading zero ({@code 0}
     * alone is fine); no {@code +}, no {@code -0}, no spaces, within a long.
     */
    static long parseLong(byte[] b) throws KvError {
        int n = b.length, i = n > 0 && b[0] == '-' ? 1 : 0;
        boolean ok = n > i && n <= 20 && (b[i] >= '1' && b[i] <= '9' || (n == 1 && b[0] == '0'));
        for (int j = i + 1; ok && j < n; j++) ok = b[j] >= '0' && b[j] <= '9';
        if (!ok) throw new KvError("ERR value is not an integer or out of range");
        try {
            return Long.parseLong(new String(b, java.nio.charset.StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) { // out of range
            throw new KvError("ERR value is not an integer or out of range");
        }
    }
}
