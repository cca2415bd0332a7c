package dev.boltflow.it.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.boltflow.transport.testing.NettyLeaks;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The ingest harness on a small graph, for correctness only (no timing): everything sent is stored. */
@ExtendWith(NettyLeaks.class)
class GossipIngestTest {
    @TempDir
    Path dir;

    @Test
    void everyAnnouncementUpdateAndNode_isVerifiedAndStored_overOneBolt8Connection() throws Exception {
        GossipIngest.Result r = GossipIngest.run(200, 600, dir);
        assertEquals(600, r.storedChannels());
        assertEquals(200, r.storedNodes());
        assertEquals(600 * 3 + 200, r.messages());
        assertTrue(r.heapBytes() > 0);
    }
}
