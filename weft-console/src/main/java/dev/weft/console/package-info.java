/**
 * The live console: {@link dev.weft.console.WeftConsole#start(int)} serves a self-contained page
 * of every hub's greenlet tree (filters, counts per state, slowest waits, recent failures) and
 * its JSON endpoints.
 */
package dev.weft.console;
