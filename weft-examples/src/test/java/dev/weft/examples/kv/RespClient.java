package dev.weft.examples.kv;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;

/** A minimal RESP client for the tests. */
final class RespClient implements AutoCloseable {
    final Socket socket;
    final OutputStream out;
    final InputStream in;

    RespClient(InetSocketAddress address) throws IOException {
        socket = new Socket(address.getAddress(), address.getPort());
        socket.setSoTimeout(30_000); // a hung server fails the test instead of hanging it
        out = socket.getOutputStream();
        in = new BufferedInputStream(socket.getInputStream());
    }

    Object call(String... args) throws IOException {
        LoadGenerator.send(out, args);
        out.flush();
        return LoadGenerator.readReply(in);
    }

    void sendRaw(String s) throws IOException {
        out.write(s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        out.flush();
    }

    Object read() throws IOException {
        return LoadGenerator.readReply(in);
    }

    /** Reads until the server closes: true if it did (EOF or reset). */
    boolean closedByServer() {
        try {
            while (in.read() >= 0) { /* drain */ }
            return true;
        } catch (IOException e) {
            return true;
        }
    }

    static String str(Object reply) {
        return reply instanceof byte[] b ? new String(b, java.nio.charset.StandardCharsets.UTF_8) : String.valueOf(reply);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
