package io.berth.e2e;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/** Calls made together: each caller on a thread of its own waits at a gate, then all go at once. */
final class AllAtOnce {

    private AllAtOnce() {
    }

    /** What each caller's call answered, in caller order; the first call that threw fails the whole. */
    static <T> List<T> call(int callers, IntFunction<T> call) {
        CountDownLatch gate = new CountDownLatch(1);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<T>> futures = new ArrayList<>();
            for (int caller = 0; caller < callers; caller++) {
                int number = caller;
                futures.add(threads.submit(() -> {
                    gate.await();
                    return call.apply(number);
                }));
            }
            gate.countDown();
            List<T> answers = new ArrayList<>();
            for (Future<T> future : futures) {
                answers.add(future.get());
            }
            return answers;
        } catch (ExecutionException e) {
            throw new AssertionError("A concurrent call failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
