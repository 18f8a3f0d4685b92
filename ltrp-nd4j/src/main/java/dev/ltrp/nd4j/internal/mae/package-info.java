/**
 * The masked autoencoder (ViT encoder and decoder) as a SameDiff graph with the reference names.
 * Not API: this package may change in any release, it exposes ND4J/SameDiff types, and only
 * ltrp-nd4j's public classes, ltrp-eval and ltrp-bench use it.
 */
package dev.ltrp.nd4j.internal.mae;
