package org.licensebackup.lms.client.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.Flow;

import org.junit.jupiter.api.Test;

class SlicedBodyTest {

    /** Takes slices one at a time, asking for the next from inside onNext, as the HTTP client may. */
    private static class Collecting implements Flow.Subscriber<ByteBuffer> {
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        int slices;
        int completions;
        Throwable error;
        Flow.Subscription subscription;

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(1);
        }

        @Override
        public void onNext(ByteBuffer slice) {
            slices++;
            byte[] bytes = new byte[slice.remaining()];
            slice.get(bytes);
            received.writeBytes(bytes);
            subscription.request(1);
        }

        @Override
        public void onError(Throwable throwable) {
            error = throwable;
        }

        @Override
        public void onComplete() {
            completions++;
        }
    }

    @Test
    void eachSubscriptionGetsTheWholeBodyInOrderAndCompletesOnce() {
        byte[] body = new byte[100_000];
        new Random(7).nextBytes(body);
        SlicedBody sliced = new SlicedBody(body);
        for (int sending = 0; sending < 2; sending++) {
            Collecting subscriber = new Collecting();
            sliced.subscribe(subscriber);
            assertArrayEquals(body, subscriber.received.toByteArray(), "sending " + sending);
            assertEquals(1, subscriber.completions);
            assertTrue(subscriber.slices > 1, "sent in slices: " + subscriber.slices);
        }
        assertEquals(body.length, sliced.length());
    }

    @Test
    void aRequestForNoSlicesIsAnError() {
        Collecting subscriber = new Collecting() {
            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                this.subscription = subscription;
                subscription.request(0);
            }
        };
        new SlicedBody(new byte[10]).subscribe(subscriber);
        assertInstanceOf(IllegalArgumentException.class, subscriber.error);
        assertEquals(0, subscriber.received.size());
    }
}
