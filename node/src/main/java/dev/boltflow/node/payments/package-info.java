/**
 * Payments without channels, for tests and the demo:
 * {@link dev.boltflow.node.payments.SimulatedPaymentLink} carries real blinded payment onions as
 * HTLCs in boltflow-private odd messages ({@link dev.boltflow.node.payments.LinkMessage}, types
 * 32769/32771/32773, not in the BOLT registry) over the nodes' BOLT 8 connections. A node runs it
 * only when started with {@code --simulated-payments}; otherwise its payment sender is
 * {@link dev.boltflow.node.payments.SimulatedPaymentLink#disabled()}.
 */
package dev.boltflow.node.payments;
