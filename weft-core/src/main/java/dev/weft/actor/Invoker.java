package dev.weft.actor;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.InaccessibleObjectException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.Map;

/**
 * One method of the handler's interface, adapted once to {@code (Object target, Object[] args)
 * -> Object}: calls go through {@code invokeExact}, with no reflective lookup per call.
 */
record Invoker(String name, MethodHandle handle, boolean returnsValue, String signature) {
    private static final Object[] NO_ARGS = {};
    private static final MethodType SPREAD = MethodType.methodType(Object.class, Object.class, Object[].class);

    /** The interfaces' tables, built once per interface when no lookup is given. */
    private static final ClassValue<Map<Method, Invoker>> TABLES = new ClassValue<>() {
        @Override
        protected Map<Method, Invoker> computeValue(Class<?> api) {
            return table(api, null);
        }
    };

    Object invoke(Object target, Object[] args) throws Throwable {
        Object[] spread = args == null ? NO_ARGS : args;
        return (Object) handle.invokeExact(target, spread);
    }

    static Map<Method, Invoker> tableFor(Class<?> api, MethodHandles.Lookup lookup) {
        return lookup == null ? TABLES.get(api) : table(api, lookup);
    }

    private static Map<Method, Invoker> table(Class<?> api, MethodHandles.Lookup lookup) {
        Map<Method, Invoker> t = new HashMap<>();
        for (Method m : api.getMethods()) {
            if (Modifier.isStatic(m.getModifiers())) continue;
            t.put(m, of(m, lookup));
        }
        return Map.copyOf(t);
    }

    private static Invoker of(Method m, MethodHandles.Lookup lookup) {
        MethodHandle mh;
        try {
            if (lookup != null) {
                mh = lookup.unreflect(m);
            } else {
                try {
                    mh = MethodHandles.publicLookup().unreflect(m);
                } catch (IllegalAccessException notPublic) {
                    m.setAccessible(true);
                    mh = MethodHandles.lookup().unreflect(m);
                }
            }
        } catch (IllegalAccessException | InaccessibleObjectException e) {
            throw new IllegalArgumentException("weft cannot call " + m.getDeclaringClass().getName() + "." + m.getName()
                    + ": make the interface public, open its package to dev.weft, or pass a MethodHandles.Lookup"
                    + " that can see it", e);
        }
        MethodHandle spread = mh.asType(mh.type().generic())
                .asSpreader(Object[].class, m.getParameterCount())
                .asType(SPREAD);
        String sig = m.getDeclaringClass().getSimpleName() + "." + m.getName();
        return new Invoker(m.getName(), spread, m.getReturnType() != void.class, sig);
    }
}
