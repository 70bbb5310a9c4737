/**
 * Links that never lose a death: proc.py's links ({@link dev.weft.link.Links#link},
 * {@code spawnLink*}, {@code waitAll}, {@code wrapErrors}) with listeners chosen by what they
 * are (a greenlet, a receiver, a callback), the linked-exit exceptions
 * ({@link dev.weft.link.LinkedExited} and its subclasses, {@link dev.weft.link.ProcExit}), and
 * Erlang/OTP's monitors, trap-exit and two-way links. See {@code docs/links.md}.
 */
package dev.weft.link;
