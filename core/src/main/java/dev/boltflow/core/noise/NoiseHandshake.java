package dev.boltflow.core.noise;

import dev.boltflow.core.bytes.DecodeException;
import dev.boltflow.core.crypto.AuthenticationException;
import dev.boltflow.core.crypto.PrivateKey;
import dev.boltflow.core.crypto.PublicKey;
import dev.boltflow.core.noise.HandshakeException.Code;
import java.util.Arrays;
import java.util.Objects;

/**
 * The {@code Noise_XK_secp256k1_ChaChaPoly_SHA256} handshake of BOLT 8 (Authenticated Key
 * Exchange Handshake Specification), without I/O: the caller moves the acts over the network.
 *
 * <pre>
 *   Initiator                                 Responder
 *   actOne()            --- 50 bytes --->      actTwo(actOne)
 *   actThree(actTwo)    <--- 50 bytes ---
 *   result()            --- 66 bytes --->      complete(actThree)
 * </pre>
 *
 * <p>Each side is a small state machine owned by one connection and <b>not thread-safe</b>.
 * Each step may be called once, in order; calling a step out of order throws
 * {@link IllegalStateException}. A malformed or unauthenticated act throws a
 * {@link HandshakeException} whose {@link HandshakeException.Code} names the failure; the
 * handshake is then dead (later calls throw {@link IllegalStateException}) and the caller must
 * close the connection without sending anything more. Intermediate key material is overwritten
 * once the handshake ends either way.
 */
public final class NoiseHandshake {
    /** Act one: version ‖ ephemeral key ‖ MAC. */
    public static final int ACT_ONE_LENGTH = 50;
    /** Act two: version ‖ ephemeral key ‖ MAC. */
    public static final int ACT_TWO_LENGTH = 50;
    /** Act three: version ‖ encrypted static key with its MAC (49) ‖ MAC. */
    public static final int ACT_THREE_LENGTH = 66;
    /** The only handshake version defined (BOLT 8, Handshake Versioning). */
    public static final int VERSION = 0;

    private static final byte[] EMPTY = new byte[0];
    private static final int KEY = PublicKey.LENGTH;
    private static final int MAC = TransportCipher.MAC_LENGTH;

    private NoiseHandshake() {
    }

    /** The side that opens the connection and knows the responder's node id in advance. */
    public static Initiator initiator(PrivateKey localStatic, PublicKey remoteStatic, EphemeralKeySource ephemeral) {
        return new Initiator(localStatic, remoteStatic, ephemeral);
    }

    /** The side that accepts the connection and learns the initiator's node id in act three. */
    public static Responder responder(PrivateKey localStatic, EphemeralKeySource ephemeral) {
        return new Responder(localStatic, ephemeral);
    }

    private enum Step {
        START, ACT_ONE_DONE, ACT_TWO_DONE, COMPLETE, FAILED
    }

    /** The initiator's half of the handshake. Not thread-safe; see {@link NoiseHandshake}. */
    public static final class Initiator {
        private final PrivateKey localStatic;
        private final PublicKey remoteStatic;
        private final EphemeralKeySource ephemeralSource;
        private SymmetricState state;
        private PrivateKey ephemeral;
        private HandshakeResult result;
        private Step step = Step.START;

        private Initiator(PrivateKey localStatic, PublicKey remoteStatic, EphemeralKeySource ephemeralSource) {
            this.localStatic = Objects.requireNonNull(localStatic, "localStatic");
            this.remoteStatic = Objects.requireNonNull(remoteStatic, "remoteStatic");
            this.ephemeralSource = Objects.requireNonNull(ephemeralSource, "ephemeral");
        }

        /** The responder's static key this handshake is addressed to. */
        public PublicKey remoteStatic() {
            return remoteStatic;
        }

        /** Act one, sender side (BOLT 8, Act One): {@code 0 ‖ e.pub ‖ c}, 50 bytes. */
        public byte[] actOne() {
            requireStep(step, Step.START, "actOne");
            state = SymmetricState.initialize(remoteStatic);
            ephemeral = Objects.requireNonNull(ephemeralSource.generateKey(), "ephemeral key");
            byte[] e = ephemeral.publicKey().toArray();
            state.mixHash(e);
            byte[] tempK1 = state.mixKey(ephemeral.ecdh(remoteStatic));
            byte[] c = state.encryptAndHash(tempK1, 0, EMPTY);
            Arrays.fill(tempK1, (byte) 0);
            step = Step.ACT_ONE_DONE;
            return concat(new byte[] {VERSION}, e, c);
        }

        /**
         * Reads act two (BOLT 8, Act Two, receiver) and writes act three (BOLT 8, Act Three,
         * sender): {@code 0 ‖ c ‖ t}, 66 bytes. The handshake is then complete on this side;
         * {@link #result()} holds the session. Send the returned bytes before any message.
         *
         * @throws HandshakeException with an {@code ACT2_*} code if act two is rejected
         */
        public byte[] actThree(byte[] actTwo) {
            Objects.requireNonNull(actTwo, "actTwo");
            requireStep(step, Step.ACT_ONE_DONE, "actThree");
            step = Step.FAILED; // until it succeeds: any exception ends the handshake
            try {
                PublicKey re = readEphemeral(actTwo, ACT_TWO_LENGTH,
                        Code.ACT2_READ_FAILED, Code.ACT2_BAD_VERSION, Code.ACT2_BAD_PUBKEY);
                state.mixHash(re.toArray());
                byte[] tempK2 = state.mixKey(ephemeral.ecdh(re));
                try {
                    state.decryptAndHash(tempK2, 0, actTwo, 1 + KEY, MAC);
                } catch (AuthenticationException ex) {
                    // BOLT 8, Act Two receiver step 7: a MAC failure terminates the connection.
                    throw new HandshakeException(Code.ACT2_BAD_TAG, "act two MAC does not verify");
                }
                byte[] c = state.encryptAndHash(tempK2, 1, localStatic.publicKey().toArray());
                Arrays.fill(tempK2, (byte) 0);
                byte[] tempK3 = state.mixKey(localStatic.ecdh(re));
                byte[] t = state.encryptAndHash(tempK3, 0, EMPTY);
                Arrays.fill(tempK3, (byte) 0);
                result = new HandshakeResult(remoteStatic, state.split(true));
                step = Step.COMPLETE;
                return concat(new byte[] {VERSION}, c, t);
            } finally {
                if (step != Step.COMPLETE) {
                    state.destroy();
                }
                ephemeral = null;
                state = null;
            }
        }

        /** True once act three has been produced. */
        public boolean isComplete() {
            return step == Step.COMPLETE;
        }

        /**
         * The session, available once {@link #actThree} returned.
         *
         * @throws IllegalStateException before that, or if the handshake failed
         */
        public HandshakeResult result() {
            if (step != Step.COMPLETE) {
                throw new IllegalStateException("handshake not complete (" + step + ")");
            }
            return result;
        }

        @Override
        public String toString() {
            return "NoiseHandshake.Initiator[to " + remoteStatic + ", " + step + "]";
        }
    }

    /** The responder's half of the handshake. Not thread-safe; see {@link NoiseHandshake}. */
    public static final class Responder {
        private final PrivateKey localStatic;
        private final EphemeralKeySource ephemeralSource;
        private SymmetricState state;
        private PrivateKey ephemeral;
        private byte[] tempK2;
        private Step step = Step.START;

        private Responder(PrivateKey localStatic, EphemeralKeySource ephemeralSource) {
            this.localStatic = Objects.requireNonNull(localStatic, "localStatic");
            this.ephemeralSource = Objects.requireNonNull(ephemeralSource, "ephemeral");
        }

        /**
         * Reads act one (BOLT 8, Act One, receiver) and writes act two (BOLT 8, Act Two, sender):
         * {@code 0 ‖ e.pub ‖ c}, 50 bytes.
         *
         * @throws HandshakeException with an {@code ACT1_*} code if act one is rejected; the
         *     connection must then close without any further message
         */
        public byte[] actTwo(byte[] actOne) {
            Objects.requireNonNull(actOne, "actOne");
            requireStep(step, Step.START, "actTwo");
            step = Step.FAILED; // until it succeeds: any exception ends the handshake
            state = SymmetricState.initialize(localStatic.publicKey());
            try {
                PublicKey re = readEphemeral(actOne, ACT_ONE_LENGTH,
                        Code.ACT1_READ_FAILED, Code.ACT1_BAD_VERSION, Code.ACT1_BAD_PUBKEY);
                state.mixHash(re.toArray());
                byte[] tempK1 = state.mixKey(localStatic.ecdh(re));
                try {
                    state.decryptAndHash(tempK1, 0, actOne, 1 + KEY, MAC);
                } catch (AuthenticationException ex) {
                    // BOLT 8, Act One receiver step 7: the initiator does not know our static key.
                    throw new HandshakeException(Code.ACT1_BAD_TAG, "act one MAC does not verify");
                } finally {
                    Arrays.fill(tempK1, (byte) 0);
                }
                ephemeral = Objects.requireNonNull(ephemeralSource.generateKey(), "ephemeral key");
                byte[] e = ephemeral.publicKey().toArray();
                state.mixHash(e);
                tempK2 = state.mixKey(ephemeral.ecdh(re));
                byte[] c = state.encryptAndHash(tempK2, 0, EMPTY);
                step = Step.ACT_TWO_DONE;
                return concat(new byte[] {VERSION}, e, c);
            } finally {
                if (step != Step.ACT_TWO_DONE) {
                    fail();
                }
            }
        }

        /**
         * Reads act three (BOLT 8, Act Three, receiver) and completes the handshake.
         *
         * @throws HandshakeException with an {@code ACT3_*} code if act three is rejected
         */
        public HandshakeResult complete(byte[] actThree) {
            Objects.requireNonNull(actThree, "actThree");
            requireStep(step, Step.ACT_TWO_DONE, "complete");
            step = Step.FAILED; // until it succeeds: any exception ends the handshake
            try {
                if (actThree.length != ACT_THREE_LENGTH) {
                    throw new HandshakeException(Code.ACT3_READ_FAILED,
                            "act three must be " + ACT_THREE_LENGTH + " bytes, got " + actThree.length);
                }
                if (actThree[0] != VERSION) {
                    throw new HandshakeException(Code.ACT3_BAD_VERSION, "unknown handshake version " + (actThree[0] & 0xff));
                }
                byte[] rsBytes;
                try {
                    rsBytes = state.decryptAndHash(tempK2, 1, actThree, 1, KEY + MAC);
                } catch (AuthenticationException ex) {
                    throw new HandshakeException(Code.ACT3_BAD_CIPHERTEXT, "encrypted static key does not verify");
                }
                PublicKey rs;
                try {
                    rs = PublicKey.fromBytes(rsBytes);
                } catch (DecodeException ex) {
                    throw new HandshakeException(Code.ACT3_BAD_PUBKEY, "static key is not a valid point", ex);
                }
                byte[] tempK3 = state.mixKey(ephemeral.ecdh(rs));
                try {
                    state.decryptAndHash(tempK3, 0, actThree, 1 + KEY + MAC, MAC);
                } catch (AuthenticationException ex) {
                    throw new HandshakeException(Code.ACT3_BAD_TAG, "act three MAC does not verify");
                } finally {
                    Arrays.fill(tempK3, (byte) 0);
                }
                HandshakeResult result = new HandshakeResult(rs, state.split(false));
                step = Step.COMPLETE;
                return result;
            } finally {
                if (step == Step.COMPLETE) {
                    clear();
                } else {
                    fail();
                }
            }
        }

        /** True once {@link #complete} returned. */
        public boolean isComplete() {
            return step == Step.COMPLETE;
        }

        /** Only reached from a step that has a state (actTwo sets it first, complete needs it). */
        private void fail() {
            state.destroy();
            clear();
        }

        private void clear() {
            if (tempK2 != null) {
                Arrays.fill(tempK2, (byte) 0);
            }
            tempK2 = null;
            ephemeral = null;
            state = null;
        }

        @Override
        public String toString() {
            return "NoiseHandshake.Responder[" + step + "]";
        }
    }

    /** Length, version and key of act one or two: {@code v ‖ re ‖ c}. */
    private static PublicKey readEphemeral(byte[] act, int length, Code readFailed, Code badVersion, Code badKey) {
        if (act.length != length) {
            throw new HandshakeException(readFailed, "expected exactly " + length + " bytes, got " + act.length);
        }
        if (act[0] != VERSION) {
            // BOLT 8: "If v is an unrecognized handshake version ... MUST abort the connection attempt."
            throw new HandshakeException(badVersion, "unknown handshake version " + (act[0] & 0xff));
        }
        try {
            return PublicKey.fromBytes(Arrays.copyOfRange(act, 1, 1 + KEY));
        } catch (DecodeException ex) {
            throw new HandshakeException(badKey, "ephemeral key is not a valid point", ex);
        }
    }

    private static void requireStep(Step actual, Step expected, String what) {
        if (actual != expected) {
            throw new IllegalStateException(what + " called in state " + actual + ", expected " + expected);
        }
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
