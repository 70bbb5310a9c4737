package dev.weft.actor;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.time.Duration;

/**
 * The invocation handler behind a handler's {@code sync()} and {@code oneway()} views: it finds
 * the method's cached {@link Invoker} (one map lookup, no reflection) and queues the call.
 */
final class CallProxy implements InvocationHandler {
    private final DeferredCallHandler<?> handler;
    private final boolean oneway;
    private final Duration timeout;

    CallProxy(DeferredCallHandler<?> handler, boolean oneway, Duration timeout) {
        this.handler = handler;
        this.oneway = oneway;
        this.timeout = timeout;
    }

    @Override
    public Object invoke(Object proxy, Method m, Object[] args) throws Throwable {
        Invoker inv = handler.invoker(m);
        if (inv != null) return oneway ? handler.callOneway(inv, args) : handler.callSync(inv, args, timeout);
        return switch (m.getName()) { // java.lang.Object's methods, on the proxy itself
            case "equals" -> proxy == args[0];
            case "hashCode" -> System.identityHashCode(proxy);
            case "toString" -> (oneway ? "oneway" : "sync") + (timeout == null ? "" : "(" + timeout + ")")
                    + " view of " + handler;
            default -> throw new UnsupportedOperationException(m.toString());
        };
    }
}
