package dev.weft.examples.kv;

/** One connection's state: its name, whether it authenticated, whether it asked to QUIT. */
final class Session {
    boolean authenticated;
    boolean quit;
    byte[] name;

    Session(boolean authenticated) {
        this.authenticated = authenticated;
    }
}
