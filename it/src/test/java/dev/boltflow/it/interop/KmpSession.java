package dev.boltflow.it.interop;

import dev.boltflow.transport.testing.NettyLeaks;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test against lightning-kmp over BOLT 8: before each test our payee starts and lightning-kmp's
 * node connects to it (the payee has registered the connection when the test starts); after it,
 * both close.
 */
@ExtendWith(NettyLeaks.class)
abstract class KmpSession {
    final SecureRandom random = new SecureRandom();
    OurPayee payee;
    KmpNode kmp;

    @BeforeEach
    void connect() throws IOException {
        payee = new OurPayee(random);
        CompletableFuture<?> accepted = payee.nextInbound();
        kmp = KmpNode.connect(payee, random);
        OurPayee.await(accepted);
    }

    @AfterEach
    void close() throws IOException {
        kmp.close();
        payee.close();
    }
}
