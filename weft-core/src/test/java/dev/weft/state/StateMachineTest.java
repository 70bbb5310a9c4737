package dev.weft.state;

import static dev.weft.state.StateMachineTest.Plant.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.weft.Greenlet;
import dev.weft.HubTestBase;
import dev.weft.Trail;
import dev.weft.sync.Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** State machines: the seed's plant life cycle, validation, onStart, and gen_statem's extras. */
class StateMachineTest extends HubTestBase {

    enum Plant { SPROUTING, GROWING, FLOWERING, WITHERING, DEAD }

    /** The seed's Flower: each state a method, the transitions declared beside it. */
    static final class Flower {
        final boolean eaten;
        final Trail trail = new Trail();
        volatile State<Plant> state; // stored by the onStart callback, as in the seed

        Flower(boolean eaten) {
            this.eaten = eaten;
        }

        Transition<Plant> sprouting(State<Plant> s) {
            trail.add("germinate");
            return s.to(GROWING);
        }

        Transition<Plant> growing(State<Plant> s) {
            trail.add("photosynthesis");
            return s.to(FLOWERING);
        }

        Transition<Plant> flowering(State<Plant> s) {
            trail.add("flowers");
            return eaten ? s.to(DEAD, true) : s.to(WITHERING); // arguments go to the next state
        }

        Transition<Plant> withering(State<Plant> s) {
            trail.add("dry up");
            return s.to(DEAD);
        }

        void dead(State<Plant> s) {
            boolean isEaten = s.arg(0, false); // def dead(is_eaten=False)
            trail.add(isEaten ? "eaten" : "clean up");
        }

        MachineDefinition<Plant> lifeCycle() {
            return StateMachine.<Plant>define()
                    .state(SPROUTING, this::sprouting, GROWING)
                    .state(GROWING, this::growing, FLOWERING)
                    .state(FLOWERING, this::flowering, DEAD, WITHERING)
                    .state(WITHERING, this::withering, DEAD)
                    .terminal(DEAD, this::dead)
                    .onStart(DEAD, (next, args) -> state = next)
                    .build();
        }
    }

    private static List<String> pairs(StateMachine<?> m) {
        List<String> out = new ArrayList<>();
        for (Transition<?> t : m.transitions()) out.add(t.from() + ">" + t.to());
        return out;
    }

    // ------------------------------------------------------------------ the seed's plant

    @Test
    void aFlowerThatIsEatenGoesFromFloweringToDeadWithTheArgument() {
        inHub(() -> {
            Flower flower = new Flower(true);
            StateMachine<Plant> m = flower.lifeCycle().start(SPROUTING);
            assertEquals(DEAD, m.get());
            flower.trail.assertSteps("germinate", "photosynthesis", "flowers", "eaten");
            assertEquals(List.of("SPROUTING>GROWING", "GROWING>FLOWERING", "FLOWERING>DEAD"), pairs(m));
            assertEquals(List.of(true), m.transitions().get(2).args());
            assertTrue(m.isSuccessful());
            assertEquals(DEAD, m.currentState());
        });
    }

    @Test
    void aFlowerThatIsNotEatenWithersThenDies() {
        inHub(() -> {
            Flower flower = new Flower(false);
            StateMachine<Plant> m = flower.lifeCycle().start(SPROUTING);
            m.join();
            flower.trail.assertSteps("germinate", "photosynthesis", "flowers", "dry up", "clean up");
            assertEquals(List.of("SPROUTING>GROWING", "GROWING>FLOWERING", "FLOWERING>WITHERING", "WITHERING>DEAD"),
                    pairs(m));
            assertTrue(m.isSuccessful());
        });
    }

    @Test
    void theOnStartCallbackStoresTheNewStateOnItsObject() {
        inHub(() -> {
            Flower flower = new Flower(true);
            StateMachine<Plant> m = flower.lifeCycle().start(SPROUTING);
            m.join();
            assertSame(m.current(), flower.state);
            assertEquals(DEAD, flower.state.state());
            assertTrue(flower.state.isDead());
            assertEquals(List.of(true), flower.state.args());
        });
    }

    @Test
    void eachStateRunsInItsOwnGreenletWhichEndsSuccessfullyWhenItMovesOn() {
        inHub(() -> {
            List<State<Plant>> seen = new CopyOnWriteArrayList<>();
            Flower flower = new Flower(false);
            MachineDefinition<Plant> life = StateMachine.<Plant>define()
                    .state(SPROUTING, s -> {
                        seen.add(s);
                        assertSame(s, Greenlet.current());
                        return s.to(GROWING);
                    }, GROWING)
                    .terminal(GROWING, s -> seen.add(s))
                    .build();
            StateMachine<Plant> m = life.start(SPROUTING);
            m.join();
            assertEquals(2, seen.size());
            assertNotSame(seen.get(0), seen.get(1));
            assertTrue(seen.get(0).isSuccessful());
            assertEquals(GROWING, seen.get(0).get().to(), "a state's value is the transition it took");
            assertNull(seen.get(1).get());
            assertFalse(flower.eaten);
        });
    }

    // ------------------------------------------------------------------ onStart

    @Test
    void onStartRunsInTheTransitioningGreenletBeforeTheNewStateStarts() {
        inHub(() -> {
            AtomicReference<Greenlet<?>> transitioning = new AtomicReference<>();
            List<String> checks = new CopyOnWriteArrayList<>();
            MachineDefinition<String> def = StateMachine.<String>define()
                    .state("a", s -> {
                        transitioning.set(Greenlet.current());
                        return s.to("b", "x", 2);
                    }, "b")
                    .terminal("b", s -> checks.add("b ran"))
                    .onStart("b", (next, args) -> {
                        checks.add("in a: " + (Greenlet.current() == transitioning.get()));
                        checks.add("b started: " + next.isStarted());
                        checks.add("args: " + args);
                    })
                    .build();
            def.start("a").join();
            assertEquals(List.of("in a: true", "b started: false", "args: [x, 2]", "b ran"), checks);
        });
    }

    @Test
    void theInitialStatesOnStartRunsInTheGreenletStartingTheMachine() {
        // the seed's example: obj.a_state(store=True) stores the state object on obj
        inHub(() -> {
            AtomicReference<State<String>> stored = new AtomicReference<>();
            AtomicReference<Greenlet<?>> ranIn = new AtomicReference<>();
            Event go = new Event();
            MachineDefinition<String> def = StateMachine.<String>define()
                    .terminal("a_state", s -> go.await())
                    .onStart("a_state", (next, args) -> {
                        ranIn.set(Greenlet.current());
                        if (!args.isEmpty() && Boolean.TRUE.equals(args.get(0))) stored.set(next);
                    })
                    .build();
            StateMachine<String> m = def.start("a_state", true);
            assertSame(Greenlet.current(), ranIn.get());
            assertSame(m.current(), stored.get());
            go.set();
            m.join();
        });
    }

    @Test
    void fromTheInitialStatesOnStartTheMachineHasNoCurrentStateAndAKillStopsItBeforeItRuns() {
        inHub(() -> {
            AtomicReference<Object> seen = new AtomicReference<>("not called");
            java.util.concurrent.atomic.AtomicBoolean ran = new java.util.concurrent.atomic.AtomicBoolean();
            MachineDefinition<String> def = StateMachine.<String>define()
                    .terminal("a_state", s -> ran.set(true))
                    .onStart("a_state", (next, args) -> {
                        seen.set(next.machine().currentState()); // threw NullPointerException
                        next.machine().kill(); // so did this
                    })
                    .build();
            StateMachine<String> m = def.start("a_state");
            assertNull(seen.get());
            assertTrue(m.join(LONG));
            assertTrue(m.isKilled());
            assertFalse(ran.get(), "killed before it ran");
        });
    }

    // ------------------------------------------------------------------ validation

    @Test
    void anUndeclaredTransitionRaisesValidationErrorInTheStateAndFailsTheMachine() {
        inHub(() -> {
            List<String> ran = new CopyOnWriteArrayList<>();
            AtomicReference<Throwable> raisedIn = new AtomicReference<>();
            MachineDefinition<String> def = StateMachine.<String>define()
                    .state("initial", s -> {
                        try {
                            return s.to("second"); // declared as a state, but not as a target
                        } catch (ValidationError e) {
                            raisedIn.set(e);
                            throw e;
                        }
                    }, "third")
                    .terminal("second", s -> ran.add("second"))
                    .terminal("third", s -> ran.add("third"))
                    .build();
            StateMachine<String> m = def.start("initial");
            m.join();
            assertInstanceOf(ValidationError.class, m.exception());
            assertSame(raisedIn.get(), m.exception());
            assertSame(m.exception(), m.current().exception(), "raised in the state that tried it");
            assertFalse(m.isSuccessful());
            assertEquals(List.of(), m.transitions(), "no transition recorded");
            assertEquals(List.of(), ran);
            assertEquals("initial", m.currentState());
            assertThrows(ValidationError.class, m::get);
        });
    }

    @Test
    void aTerminalStateCannotMoveOn() {
        inHub(() -> {
            MachineDefinition<String> def = StateMachine.<String>define()
                    .state("end", s -> s.to("end"))
                    .build();
            StateMachine<String> m = def.start("end");
            m.join();
            assertInstanceOf(ValidationError.class, m.exception());
        });
    }

    @Test
    void anInvalidTargetNameFailsWhenTheMachineIsDefined() {
        MachineBuilder<String> b = StateMachine.<String>define()
                .state("sprouting", s -> s.to("growing"), "growin"); // a typo
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);
        assertTrue(e.getMessage().contains("growin"), e.getMessage());
    }

    @Test
    void aDefinitionRefusesDuplicatesUndeclaredCallbacksAndBadTimeouts() {
        assertThrows(IllegalArgumentException.class,
                () -> StateMachine.<String>define().terminal("a", s -> {}).terminal("a", s -> {}));
        assertThrows(IllegalArgumentException.class,
                () -> StateMachine.<String>define().terminal("a", s -> {}).onStart("b", (n, a) -> {}).build());
        assertThrows(IllegalArgumentException.class,
                () -> StateMachine.<String>define().state("a", s -> null, "b").terminal("b", s -> {})
                        .timeout("a", Duration.ofSeconds(1), "a").build()); // "a" is not a target of "a"
        assertThrows(IllegalArgumentException.class,
                () -> StateMachine.<String>define().terminal("a", s -> {}).timeout("a", Duration.ZERO, "a"));
        assertThrows(IllegalArgumentException.class, () -> StateMachine.<String>define().build());
    }

    @Test
    void startingInAnUndeclaredStateIsRefused() {
        inHub(() -> {
            MachineDefinition<String> def = StateMachine.<String>define().terminal("a", s -> {}).build();
            assertThrows(IllegalArgumentException.class, () -> def.start("b"));
        });
    }

    // ------------------------------------------------------------------ the machine as a whole

    @Test
    void cyclesAreAllowedAndCarryTheirArguments() {
        inHub(() -> {
            MachineDefinition<String> def = StateMachine.<String>define()
                    .state("ping", s -> s.to("pong", (int) s.arg(0) + 1), "pong")
                    .state("pong", s -> (int) s.arg(0) >= 10 ? s.to("done", (int) s.arg(0)) : s.to("ping", (int) s.arg(0)),
                            "ping", "done")
                    .terminal("done", s -> {})
                    .build();
            StateMachine<String> m = def.start("ping", 0);
            assertEquals("done", m.get());
            assertEquals(20, m.transitions().size()); // 10 ping>pong, 9 pong>ping, pong>done
            assertEquals(List.of(10), m.current().args());
        });
    }

    @Test
    void aStateThatFailsFailsTheMachineWithTheVeryException() {
        inHub(() -> {
            IllegalStateException boom = new IllegalStateException("boom");
            MachineDefinition<String> def = StateMachine.<String>define()
                    .state("a", s -> s.to("b"), "b")
                    .state("b", s -> {
                        throw boom;
                    })
                    .build();
            StateMachine<String> m = def.start("a");
            assertSame(boom, assertThrows(IllegalStateException.class, m::get));
            assertSame(boom, m.exception());
            assertEquals(List.of("a>b"), pairs(m));
        });
    }

    @Test
    void aFailureNobodyWaitsForIsReportedOnceWithTheMachineAsItsSource() {
        List<Object> sources = new CopyOnWriteArrayList<>();
        Event reported = new Event();
        hub.setErrorHandler((source, error) -> {
            sources.add(source);
            reported.set();
        });
        inHub(() -> {
            MachineDefinition<String> def = StateMachine.<String>define()
                    .state("a", s -> {
                        throw new IllegalStateException("nobody listens");
                    })
                    .build();
            StateMachine<String> m = def.start("a");
            reported.await();
            assertEquals(List.of(m), sources);
        });
    }

    @Test
    void aBodyReturningNullEndsTheMachineInThatState() {
        inHub(() -> {
            MachineDefinition<String> def = StateMachine.<String>define()
                    .state("a", s -> null, "b")
                    .terminal("b", s -> {})
                    .build();
            StateMachine<String> m = def.start("a");
            assertEquals("a", m.get());
            assertTrue(m.isSuccessful());
        });
    }

    @Test
    void killingTheMachineKillsTheCurrentState() {
        inHub(() -> {
            Event never = new Event();
            Event inB = new Event();
            MachineDefinition<String> def = StateMachine.<String>define()
                    .state("a", s -> s.to("b"), "b")
                    .state("b", s -> {
                        inB.set();
                        never.await();
                        return s.to("c");
                    }, "c")
                    .terminal("c", s -> {})
                    .build();
            StateMachine<String> m = def.start("a");
            inB.await();
            State<String> b = m.current();
            m.kill();
            assertTrue(m.isReady());
            assertTrue(m.isKilled());
            assertTrue(m.isSuccessful());
            assertTrue(b.isKilled());
            assertEquals("b", m.currentState());
            assertEquals(List.of("a>b"), pairs(m));
        });
    }

    @Test
    void aKillRacingTransitionsAlwaysEndsTheMachineAndNoStateRunsAfterIt() {
        inHub(() -> {
            MachineDefinition<String> forever = StateMachine.<String>define()
                    .state("a", s -> {
                        dev.weft.Greenlets.yieldNow();
                        return s.to("b");
                    }, "b")
                    .state("b", s -> s.to("a"), "a") // moves on without a blocking point
                    .build();
            for (int round = 0; round < 50; round++) {
                StateMachine<String> m = forever.start("a");
                for (int i = 0; i < round % 7; i++) dev.weft.Greenlets.yieldNow();
                m.kill();
                assertTrue(m.isKilled(), "round " + round + ": " + m);
                int taken = m.transitions().size();
                assertTrue(m.current().isDead());
                dev.weft.Greenlets.yieldNow();
                assertEquals(taken, m.transitions().size(), "nothing moves after the kill");
            }
        });
    }

    @Test
    void theMachineIsLinkable() {
        inHub(() -> {
            Event go = new Event();
            MachineDefinition<String> def = StateMachine.<String>define().terminal("a", s -> go.await()).build();
            StateMachine<String> m = def.start("a");
            List<StateMachine<String>> fired = new CopyOnWriteArrayList<>();
            m.rawlink(fired::add);
            assertFalse(m.isReady());
            assertFalse(m.join(Duration.ZERO));
            go.set();
            m.join();
            assertEquals(List.of(m), fired);
            assertTrue(m.isReady());
            assertNull(m.exception());
        });
    }

    // ------------------------------------------------------------------ gen_statem's extras

    @Test
    void subtasksOfAStateAreKilledWhenItMovesOn() {
        inHub(() -> {
            Event never = new Event();
            AtomicReference<Greenlet<Void>> sub = new AtomicReference<>();
            AtomicReference<Boolean> deadWhenNextStarts = new AtomicReference<>();
            MachineDefinition<String> def = StateMachine.<String>define()
                    .state("a", s -> {
                        sub.set(s.spawnSubtask(() -> never.await()));
                        return s.to("b");
                    }, "b")
                    .terminal("b", s -> deadWhenNextStarts.set(sub.get().isDead()))
                    .build();
            def.start("a").join();
            assertTrue(sub.get().isKilled());
            assertTrue(deadWhenNextStarts.get(), "killed before the next state started");
        });
    }

    @Test
    void subtasksOfTheCurrentStateAreKilledWithTheMachine() {
        inHub(() -> {
            Event never = new Event();
            Event spawned = new Event();
            AtomicReference<Greenlet<Void>> sub = new AtomicReference<>();
            MachineDefinition<String> def = StateMachine.<String>define()
                    .terminal("a", s -> {
                        sub.set(s.spawnSubtask(() -> never.await()));
                        spawned.set();
                        never.await();
                    })
                    .build();
            StateMachine<String> m = def.start("a");
            spawned.await();
            m.kill();
            assertTrue(sub.get().isKilled());
        });
    }

    @Test
    void aStateTimeoutFiresItsChosenTransition() {
        inHub(() -> {
            MachineDefinition<String> def = StateMachine.<String>define()
                    .state("waiting", s -> s.to("served", s.receive()), "served", "gave up")
                    .timeout("waiting", Duration.ofMillis(30), "gave up", "too slow")
                    .terminal("served", s -> {})
                    .terminal("gave up", s -> {})
                    .build();
            StateMachine<String> m = def.start("waiting");
            assertEquals("gave up", m.get());
            assertEquals(List.of("waiting>gave up"), pairs(m));
            assertEquals(List.of("too slow"), m.current().args());
        });
    }

    @Test
    void aStateThatMovesOnBeforeItsTimeoutIsNotInterruptedByIt() {
        inHub(() -> {
            MachineDefinition<String> def = StateMachine.<String>define()
                    .state("waiting", s -> s.to("served", s.receive()), "served", "gave up")
                    .timeout("waiting", Duration.ofMillis(50), "gave up")
                    .terminal("served", s -> dev.weft.Greenlets.sleep(Duration.ofMillis(100)))
                    .terminal("gave up", s -> {})
                    .build();
            StateMachine<String> m = def.start("waiting");
            m.post("order");
            assertEquals("served", m.get());
            assertEquals(List.of("order"), m.current().args());
        });
    }

    enum Turnstile { LOCKED, UNLOCKED, BROKEN }

    @Test
    void postedEventsDriveTheMachineFromOutside() {
        inHub(() -> {
            MachineDefinition<Turnstile> def = StateMachine.<Turnstile>define()
                    .state(Turnstile.LOCKED, s -> switch ((String) s.receive()) {
                        case "coin" -> s.to(Turnstile.UNLOCKED);
                        case "kick" -> s.to(Turnstile.BROKEN);
                        default -> s.to(Turnstile.LOCKED);
                    }, Turnstile.UNLOCKED, Turnstile.LOCKED, Turnstile.BROKEN)
                    .state(Turnstile.UNLOCKED, s -> s.receive().equals("push") ? s.to(Turnstile.LOCKED)
                            : s.to(Turnstile.UNLOCKED), Turnstile.LOCKED, Turnstile.UNLOCKED)
                    .terminal(Turnstile.BROKEN, s -> {})
                    .build();
            StateMachine<Turnstile> m = def.start(Turnstile.LOCKED);
            for (String e : List.of("push", "coin", "push", "kick")) m.post(e); // kept until received
            assertEquals(Turnstile.BROKEN, m.get());
            assertEquals(List.of("LOCKED>LOCKED", "LOCKED>UNLOCKED", "UNLOCKED>LOCKED", "LOCKED>BROKEN"), pairs(m));
            assertThrows(IllegalStateException.class, () -> m.post("coin"), "an ended machine takes no events");
        });
    }
}
