package dev.weft.examples;

/** Placeholder entry point; to be replaced with the real examples. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.out.println("weft examples");
    }
}
