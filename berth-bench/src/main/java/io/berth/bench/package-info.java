/**
 * Benchmarks, each a {@code main} with a {@code run(Options)} that tests call in a quick form:
 * {@link io.berth.bench.ApiBench} (API throughput and latency of any ECS endpoint),
 * {@link io.berth.bench.SchedulingBench} (placement over a simulated fleet) and
 * {@link io.berth.bench.SessionsBench} (agent sessions held on one server). The scripts in {@code bench/}
 * run them; {@code docs/benchmarks.md} records their figures.
 */
package io.berth.bench;
