/**
 * State machines whose states are greenlets (gevent_async's {@code @state}), with OTP
 * {@code gen_statem}'s state timeouts, state-owned subtasks and a mailbox of posted events.
 * Declare with {@link dev.weft.state.StateMachine#define()}, start with
 * {@link dev.weft.state.MachineDefinition#start}; see {@code docs/state-machines.md}.
 */
package dev.weft.state;
