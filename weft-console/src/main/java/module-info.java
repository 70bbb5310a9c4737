/**
 * weft-console: a live page of every hub's greenlet tree, served by the JDK's own HTTP server
 * ({@code jdk.httpserver}); see {@link dev.weft.console.WeftConsole}.
 */
module dev.weft.console {
    requires dev.weft;
    requires jdk.httpserver;

    exports dev.weft.console;
}
