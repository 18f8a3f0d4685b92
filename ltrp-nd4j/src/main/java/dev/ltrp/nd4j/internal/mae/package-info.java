/** The masked autoencoder (ViT encoder and decoder) as a SameDiff graph with the reference names. */
package dev.ltrp.nd4j.internal.mae;
