/**
 * weft beyond one machine: {@link dev.weft.cluster.ClusterPool}, a {@code Pool} whose greenlets
 * run on a Hazelcast cluster ({@link dev.weft.cluster.HazelcastBackend},
 * {@link dev.weft.cluster.MemberConfig}), with {@link dev.weft.cluster.InProcessBackend} for
 * tests on any hub. See {@code docs/cluster.md}.
 */
package dev.weft.cluster;
