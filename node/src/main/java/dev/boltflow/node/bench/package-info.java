/**
 * A realistic sendinvoice workload and its CPU stages, shared by the {@code bench} command and the
 * JMH benchmarks in {@code it}.
 */
package dev.boltflow.node.bench;
