package org.licensebackup.lms.client.internal;

import java.nio.ByteBuffer;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A request body handed to the HTTP client as slices of the caller's array, as the client asks for
 * them. The JDK's {@code BodyPublishers.ofByteArray} copies the whole body into new buffers each time
 * a request is sent: with a batch of licenses (up to 4 MiB) per request in flight, those copies were
 * a large part of a restoring device's live heap. The array must not change while it is sent.
 */
final class SlicedBody implements Flow.Publisher<ByteBuffer> {

    private static final int SLICE_BYTES = 16 * 1024;

    private final byte[] body;

    SlicedBody(byte[] body) {
        this.body = body;
    }

    long length() {
        return body.length;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
        subscriber.onSubscribe(new Slices(subscriber));
    }

    /** One sending of the body: each subscription starts from its first byte, so a request sent again is whole. */
    private final class Slices implements Flow.Subscription {

        private final Flow.Subscriber<? super ByteBuffer> subscriber;
        private final AtomicLong demand = new AtomicLong();
        /** Calls of request() under way: the first one drains, the ones it causes through onNext only add demand. */
        private final AtomicInteger requests = new AtomicInteger();
        private int offset;
        private volatile boolean ended;

        Slices(Flow.Subscriber<? super ByteBuffer> subscriber) {
            this.subscriber = subscriber;
        }

        @Override
        public void request(long n) {
            if (ended) {
                return;
            }
            if (n <= 0) {
                ended = true;
                subscriber.onError(new IllegalArgumentException("a request for " + n + " slices (Reactive Streams rule 3.9)"));
                return;
            }
            demand.getAndAccumulate(n, (now, more) -> now + more < 0 ? Long.MAX_VALUE : now + more);
            if (requests.getAndIncrement() != 0) {
                return;
            }
            do {
                while (!ended && offset < body.length && demand.get() > 0) {
                    int length = Math.min(SLICE_BYTES, body.length - offset);
                    ByteBuffer slice = ByteBuffer.wrap(body, offset, length).slice();
                    offset += length;
                    demand.decrementAndGet();
                    subscriber.onNext(slice);
                }
                if (!ended && offset == body.length) {
                    ended = true;
                    subscriber.onComplete();
                }
            } while (requests.decrementAndGet() != 0);
        }

        @Override
        public void cancel() {
            ended = true;
        }
    }
}
