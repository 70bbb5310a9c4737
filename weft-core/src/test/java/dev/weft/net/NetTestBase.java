package dev.weft.net;

import dev.weft.Hub;
import dev.weft.HubKind;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fixture of the server tests: each runs on the parallel and the cooperative hub (the
 * simulated hub's virtual time has no meaning for real sockets), over real loopback TCP.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("dev.weft.net.NetTestBase#kinds")
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
abstract class NetTestBase {
    static final Duration LONG = Duration.ofSeconds(20);

    @Parameter
    HubKind kind;

    Hub hub;

    static Stream<HubKind> kinds() {
        return HubKind.selected().filter(k -> k != HubKind.SIMULATED);
    }

    @BeforeEach
    void openHub() {
        hub = kind.create();
    }

    @AfterEach
    void closeHub() {
        hub.close();
    }

    <T> T inHub(Callable<T> body) {
        return hub.run(body);
    }
}
