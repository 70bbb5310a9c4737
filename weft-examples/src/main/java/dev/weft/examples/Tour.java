package dev.weft.examples;

import dev.weft.Greenlet;
import dev.weft.GreenletExit;
import dev.weft.Greenlets;
import dev.weft.Hub;
import dev.weft.Outcome;
import dev.weft.Timeout;
import dev.weft.coro.Coro;
import dev.weft.coro.InParallelError;
import dev.weft.link.Down;
import dev.weft.link.LinkedFailed;
import dev.weft.link.Links;
import dev.weft.actor.DeferredCallHandler;
import dev.weft.net.StreamServer;
import dev.weft.pool.Group;
import dev.weft.pool.MapIterator;
import dev.weft.pool.Pool;
import dev.weft.sync.AsyncResult;
import dev.weft.sync.Event;
import dev.weft.sync.Queue;
import dev.weft.state.MachineDefinition;
import dev.weft.state.StateMachine;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The README's tour, compiled: each section of the README's "A short tour" is one method here,
 * so the snippets cannot rot; {@code TourTest} runs each one.
 */
public final class Tour {
    private Tour() {}

    static String spawnAndGet() {
        // tour:spawn
        Greenlet<String> g = Greenlet.spawn(() -> "hello from " + Greenlet.current().name());
        String greeting = g.get();            // waits; rethrows the task's failure as is
        // end
        return greeting;
    }

    static boolean killIsAQuietEnd() {
        // tour:kill
        Event never = new Event();
        Greenlet<Void> worker = Greenlet.spawn(() -> never.await());
        worker.kill();                        // raises GreenletExit at its blocking point, waits
        boolean quiet = worker.isSuccessful() && worker.isKilled();   // true: a kill is no error
        // end
        return quiet;
    }

    @SuppressWarnings("try") // the README's snippet names its Timeout t; the body never reads it
    static String timeouts() {
        // tour:timeout
        AsyncResult<String> reply = new AsyncResult<>();
        String answer;
        try (Timeout t = Timeout.start(Duration.ofMillis(50))) {
            answer = reply.get();             // nobody sets it: t is raised here
        } catch (Timeout t) {
            answer = "gave up after " + t.duration().toMillis() + " ms";
        }
        boolean finished = Timeout.silently(Duration.ofMillis(10),   // gevent's Timeout(s, False)
                () -> Greenlets.sleep(Duration.ofSeconds(5)));
        // end
        return answer + ", finished=" + finished;
    }

    static String jdkCodeUnderATimeout() throws Exception {
        // tour:jdk-timeout
        // JDK blocking code (a BlockingQueue, a socket read, HttpClient.send) is interrupted by
        // the timer and throws its own exception; the functional forms decide by the Timeout itself
        BlockingQueue<String> replies = new LinkedBlockingQueue<>();     // nobody ever answers
        String body = Greenlets.withTimeout(Duration.ofMillis(50),
                () -> replies.take(),         // stands for HttpClient.send(...)
                "fallback");                  // "fallback": the timeout ended it
        Timeout t = Timeout.start(Duration.ofMillis(50));
        String how;
        try (t) {
            how = replies.take();
        } catch (InterruptedException e) {    // catch runs after close(): ask the Timeout
            if (!t.isExpired()) throw e;
            how = "timed out";
        }
        // end
        return body + ", " + how;
    }

    static String outcomes() {
        // tour:outcome
        Greenlet<String> g = Greenlet.spawn(() -> { Greenlets.sleep(Duration.ofSeconds(5)); return "done"; });
        g.kill();                             // get() of a killed greenlet is null, never a ClassCastException
        String report = switch (g.outcome()) {
            case Outcome.Value<String>(String v) -> "value " + v;
            case Outcome.Failed<String>(Throwable e) -> "failed: " + e;
            case Outcome.Killed<String>(GreenletExit exit) -> "killed";
        };
        // end
        return report + ", get()=" + g.get();
    }

    static String fetch(String url) {
        Greenlets.sleep(Duration.ofMillis(url.length())); // stands for a slow request
        return url.toUpperCase();
    }

    static String pools() {
        List<String> urls = List.of("a", "bb", "ccc", "dddd");
        List<String> seen = new ArrayList<>();
        // tour:pool
        Pool pool = new Pool(2);                        // at most 2 fetches at a time
        List<String> bodies = pool.map(url -> fetch(url), urls);   // input order; first error is thrown
        try (MapIterator<String> it = pool.imapUnordered(url -> fetch(url), urls, 16)) {
            while (it.hasNext()) seen.add(it.next());   // completion order; leaving early stops the work
        }
        try (Group scope = Group.scoped()) {            // a nursery: the block waits for every member,
            scope.spawn(() -> fetch("x"));              // the first failure kills the rest and is thrown
            scope.spawn(() -> fetch("y"));
        }
        // end
        return bodies + " " + seen.size();
    }

    static String links() {
        // tour:links
        Greenlet<Integer> child = Links.spawnLinkException(() -> Integer.parseInt("forty-two"));
        String news;
        try {
            Greenlets.sleep(Duration.ofSeconds(5));       // the child's failure is raised here
            news = "no news";
        } catch (LinkedFailed e) {                        // names the child; its error is the cause
            news = e.sourceName() + " failed: " + e.getCause().getClass().getSimpleName();
        }
        Queue<Down> downs = new Queue<>();                // an OTP monitor: a Down, never raised
        Links.monitor(Greenlet.spawn(() -> fetch("y")), downs);
        Down down = downs.get();                          // Down(source, outcome, monitor)
        // end
        return news.replace(child.name(), "child") + ", " + down.outcome();
    }

    static int hubs() {
        // tour:hub
        try (Hub hub = Hub.parallel()) {
            int sum = hub.run(() -> {         // main greenlet; leftovers are killed when it ends
                Greenlet<Integer> a = Greenlet.spawn(() -> 20);
                Greenlet<Integer> b = Greenlet.spawn(() -> 22);
                return a.get() + b.get();
            });
            // end
            return sum;
        }
    }

    static String eventsAndResults() {
        // tour:event
        Event ready = new Event();
        AsyncResult<String> result = new AsyncResult<>();
        Greenlet.spawn(() -> {
            ready.await();                    // parks the virtual thread, frees the carrier
            result.set("go!");
        });
        ready.set();
        String got = result.get(Duration.ofSeconds(1));
        // end
        return got;
    }

    static List<Integer> queues() {
        // tour:queue
        Queue<Integer> jobs = new Queue<>(10);          // bounded: put waits while it is full
        List<Integer> done = new ArrayList<>();
        Greenlet<Void> worker = Greenlet.spawn(() -> {
            for (int job : jobs) done.add(job * job);   // iterates until closed and drained
        });
        for (int i = 1; i <= 5; i++) jobs.put(i);
        jobs.close();
        worker.join();
        // end
        return done;
    }

    static int cooperative() {
        // tour:cooperative
        int[] counter = {0};                            // no lock: one greenlet runs at a time
        try (Hub hub = Hub.cooperative()) {
            hub.run(() -> {
                Runnable bump = () -> {
                    for (int i = 0; i < 1_000; i++) {
                        counter[0]++;
                        Greenlets.yieldNow();           // switches happen only where one blocks
                    }
                };
                Greenlets.joinAll(List.of(Greenlet.spawn(bump), Greenlet.spawn(bump)));
                return null;
            });
        }
        // end
        return counter[0];
    }

    static String shrapnel() {
        // tour:shrapnel
        Greenlet<Object> waiter = Greenlet.spawn(() -> Coro.suspend());   // parks until resumed
        while (!waiter.isWaiting()) Greenlets.yieldNow();
        waiter.resume("resumed");                        // Shrapnel's schedule(value)
        String resumed = (String) waiter.get();
        List<Integer> sizes = Coro.inParallel(List.of(() -> 1, () -> 22, () -> 333));
        String failures;
        try {
            Coro.inParallel(List.of(() -> 1, () -> { throw new IllegalStateException("no"); }));
            failures = "none";
        } catch (InParallelError e) {                    // raised once all have finished
            failures = e.results().get(0).status() + "/" + e.results().get(1).status();
        }
        // end
        return resumed + " " + sizes + " " + failures;
    }

    /** The tour's handler interface: calls to it are deferred. */
    public interface Account {
        /**
         * Adds {@code amount}.
         *
         * @param amount what to add
         */
        void deposit(int amount);

        /**
         * The balance.
         *
         * @return the balance now
         */
        int balance();
    }

    /** The tour's handler: its balance is only touched in its own greenlet. */
    static final class AccountHandler extends DeferredCallHandler<Account> implements Account {
        private int balance;

        AccountHandler() {
            super(Account.class);
        }

        @Override
        public void deposit(int amount) {
            balance += amount;
        }

        @Override
        public int balance() {
            return balance;
        }
    }

    static int actors() {
        // tour:actor
        AccountHandler account = new AccountHandler();  // extends DeferredCallHandler<Account> implements Account
        Greenlet<Void> processing = account.spawnProcessing();       // runs the calls, one at a time
        for (int i = 0; i < 10; i++) account.oneway().deposit(10);  // queued, returns at once
        int balance = account.sync().balance();         // waits for the handler: 100
        processing.kill();                              // later calls fail fast
        // end
        return balance;
    }

    enum Light { GREEN, YELLOW, RED, OFF }

    static String stateMachines() {
        // tour:state
        MachineDefinition<Light> light = StateMachine.<Light>define()
                .state(Light.GREEN, s -> s.to(Light.YELLOW), Light.YELLOW)
                .state(Light.YELLOW, s -> s.to(Light.RED, "stop"), Light.RED)
                .state(Light.RED, s -> "off".equals(s.receive()) ? s.to(Light.OFF) : s.to(Light.GREEN),
                        Light.GREEN, Light.OFF)           // a wrong name fails at build()
                .terminal(Light.OFF, s -> {})
                .build();
        StateMachine<Light> m = light.start(Light.GREEN);  // each state runs in its own greenlet
        m.post("off");                                     // the RED state receives it
        Light last = m.get();                              // OFF, after GREEN > YELLOW > RED > OFF
        // end
        return last + " " + m.transitions();
    }

    static String server() throws IOException {
        // tour:server
        StreamServer server = new StreamServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                (socket, peer) -> socket.getInputStream().transferTo(socket.getOutputStream()), // echo
                100);                                   // at most 100 connections served at once
        server.start();                                 // port 0: server.address() says which
        // end
        String echoed;
        try (Socket s = new Socket(server.address().getAddress(), server.address().getPort())) {
            s.getOutputStream().write("hi".getBytes(StandardCharsets.US_ASCII));
            s.shutdownOutput();
            echoed = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        }
        // tour:server-stop
        server.stop(Duration.ofSeconds(5));             // handlers get 5 s to finish, then are killed
        // end
        return echoed;
    }

    static String httpOnAPool() throws IOException, InterruptedException {
        // tour:http
        Pool pool = new Pool(50);
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.setExecutor(pool.asExecutorService());     // each exchange in a greenlet, 50 at most
        http.createContext("/", exchange -> {
            byte[] body = "hello from a greenlet".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        http.start();
        // end
        try (HttpClient client = HttpClient.newHttpClient()) {
            URI uri = URI.create("http://127.0.0.1:" + http.getAddress().getPort() + "/");
            return client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).body();
        } finally {
            http.stop(0);
            pool.kill();
        }
    }

    public static void main(String[] args) {
        System.out.println(spawnAndGet());
        System.out.println("kill is quiet: " + killIsAQuietEnd());
        System.out.println(timeouts());
        System.out.println("sum: " + hubs());
        System.out.println(eventsAndResults());
        System.out.println("squares: " + queues());
        System.out.println("cooperative counter: " + cooperative());
        System.out.println(shrapnel());
        System.out.println("balance: " + actors());
        System.out.println("light: " + stateMachines());
        System.out.println("GreenletExit is an Error: " + (new GreenletExit() instanceof Error));
    }
}
