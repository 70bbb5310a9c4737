package dev.weft.model;

import static org.jetbrains.lincheck.datastructures.ManagedStrategyGuaranteeKt.forClasses;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import org.jetbrains.kotlinx.lincheck.Actor;
import org.jetbrains.kotlinx.lincheck.execution.ExecutionScenario;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.verifier.EpsilonVerifier;

/**
 * Runs one model: a fixed set of roles, each on its own thread, explored by Lincheck's model
 * checker (it runs the threads one at a time and switches between them at every shared-memory
 * access, CAS, monitor, park/unpark and spin loop, trying a different schedule in each
 * invocation). A role is a public no-argument method of the model class; the model class is
 * instantiated afresh for every invocation; its {@code @Validate} method runs after all roles
 * finished and throws if the scenario's invariant does not hold. The roles' return values are
 * not checked (Lincheck's {@link EpsilonVerifier}): the invariants are in the roles and
 * {@code validate()}.
 *
 * <p>How many schedules each model explores: {@code -Dweft.model.invocations=N} (the build
 * passes its smoke default, CI the regression net; docs/testing.md describes both and a long run).
 */
final class Model {
    private Model() {}

    /** Schedules explored per model: a smoke run in every build, more in CI, a long search on demand. */
    static final int INVOCATIONS = Integer.getInteger("weft.model.invocations", 1000);

    /** Explores {@code model} with one thread per role; fails with the first schedule that breaks it. */
    static void check(Class<?> model, String... roles) {
        List<List<Actor>> threads = new ArrayList<>();
        for (String role : roles) threads.add(List.of(actor(model, role)));
        ExecutionScenario scenario = new ExecutionScenario(List.of(), threads, List.of(), null);
        new ModelCheckingOptions()
                .iterations(0) // no generated scenarios: only ours
                .addCustomScenario(scenario)
                .invocationsPerIteration(INVOCATIONS)
                .verifier(EpsilonVerifier.class)
                // the real-time timer wheel: its own thread and System.nanoTime are outside the
                // model; the models expire its entries themselves (ModelHooks.fire)
                .addGuarantee(forClasses("dev.weft.internal.TimerWheel").allMethods().ignore())
                // steps that only touch the calling thread's own state (its identity, the
                // registry lookup) or set a model up: no other thread can interleave with them
                // meaningfully, so the checker spends its schedules elsewhere
                .addGuarantee(forClasses("dev.weft.Greenlet").methods("current").treatAsAtomic())
                .addGuarantee(forClasses("java.util.concurrent.ConcurrentHashMap", "java.lang.ThreadLocal", "dev.weft.IdTable")
                        .allMethods().treatAsAtomic())
                .addGuarantee(forClasses("dev.weft.ModelAccess")
                        .methods("freshAdopted", "scheduled", "clockOf", "expiryOf").treatAsAtomic())
                .addGuarantee(forClasses("dev.weft.internal.ModelHooks").methods("clockOf", "isArmed").treatAsAtomic())
                .check(model);
    }

    private static Actor actor(Class<?> model, String name) {
        try {
            Method m = model.getMethod(name);
            return new Actor(m, List.of(), false, false, false, false, false);
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException(model.getSimpleName() + " has no public method " + name + "()", e);
        }
    }
}
