package dev.weft.actor;

/**
 * The handlers a greenlet is processing calls for, innermost first: the processing greenlet's
 * own handler, then, while it runs a {@code sync} call made from inside another handler's
 * processing, that caller's chain. A {@code sync} call to a handler on the chain runs inline:
 * waiting for it would wait for oneself.
 */
record Chain(DeferredCallHandler<?> handler, Chain next) {
    boolean contains(DeferredCallHandler<?> h) {
        for (Chain c = this; c != null; c = c.next) if (c.handler == h) return true;
        return false;
    }
}
