package dev.weft.internal;

/**
 * Marks weft's own rawlink listeners (a group's discard, wait/iwait plumbing): they do not count
 * as receiving a greenlet's failure, which is then still reported (ARCHITECTURE §6).
 */
public interface InternalListener {}
