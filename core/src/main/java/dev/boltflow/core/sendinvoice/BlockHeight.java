package dev.boltflow.core.sendinvoice;

/** Outbound port: the height of the best block, for the expiry of our blinded payment paths. */
@FunctionalInterface
public interface BlockHeight {
    long current();
}
