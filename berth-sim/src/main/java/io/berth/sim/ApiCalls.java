package io.berth.sim;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.http.async.AsyncExecuteRequest;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.async.SdkAsyncHttpResponseHandler;
import software.amazon.awssdk.http.async.SdkHttpContentPublisher;

/**
 * Sends the calls every task makes (its state reports) on the fleet's pooled Netty connections, signed as the SDK
 * signs them, without the SDK client's per-call pipeline: thousands of agents report at once, and the load this
 * machine spends on them is load the server under measurement does not get.
 */
final class ApiCalls {

    /** An answer: the HTTP status and the body as text. */
    record Answer(int status, String body) {
    }

    private ApiCalls() {
    }

    static CompletableFuture<Answer> call(SdkAsyncHttpClient http, SdkHttpRequest signed, byte[] body) {
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        http.execute(AsyncExecuteRequest.builder()
                .request(signed)
                .requestContentPublisher(new Body(body))
                .responseHandler(new Collector(answer))
                .build())
                .whenComplete((ignored, failure) -> {
                    if (failure != null) {
                        answer.completeExceptionally(failure);
                    }
                });
        return answer;
    }

    /** The request body, handed over in one buffer. */
    private record Body(byte[] bytes) implements SdkHttpContentPublisher {

        @Override
        public Optional<Long> contentLength() {
            return Optional.of((long) bytes.length);
        }

        @Override
        public void subscribe(Subscriber<? super ByteBuffer> subscriber) {
            subscriber.onSubscribe(new Subscription() {
                private boolean sent;

                @Override
                public void request(long n) {
                    if (!sent && n > 0) {
                        sent = true;
                        subscriber.onNext(ByteBuffer.wrap(bytes));
                        subscriber.onComplete();
                    }
                }

                @Override
                public void cancel() {
                    sent = true;
                }
            });
        }
    }

    /** Collects the status and the body of the answer. */
    private static final class Collector implements SdkAsyncHttpResponseHandler {
        private final CompletableFuture<Answer> answer;
        private volatile int status;

        Collector(CompletableFuture<Answer> answer) {
            this.answer = answer;
        }

        @Override
        public void onHeaders(SdkHttpResponse headers) {
            status = headers.statusCode();
        }

        @Override
        public void onStream(org.reactivestreams.Publisher<ByteBuffer> stream) {
            stream.subscribe(new Subscriber<ByteBuffer>() {
                private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

                @Override
                public void onSubscribe(Subscription subscription) {
                    subscription.request(Long.MAX_VALUE);
                }

                @Override
                public void onNext(ByteBuffer buffer) {
                    byte[] chunk = new byte[buffer.remaining()];
                    buffer.get(chunk);
                    bytes.writeBytes(chunk);
                }

                @Override
                public void onError(Throwable failure) {
                    answer.completeExceptionally(failure);
                }

                @Override
                public void onComplete() {
                    answer.complete(new Answer(status, bytes.toString(StandardCharsets.UTF_8)));
                }
            });
        }

        @Override
        public void onError(Throwable failure) {
            answer.completeExceptionally(failure);
        }
    }
}
