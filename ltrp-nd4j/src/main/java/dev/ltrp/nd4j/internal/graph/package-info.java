/**
 * SameDiff building blocks shared by every model: ViT layers written with the ops that are exact in
 * ND4J 1.0.0-M2.1, dynamic sequence shapes, heap/native array transfer, and {@link
 * dev.ltrp.nd4j.internal.graph.GraphRunner}, which runs a graph on one engine thread with bounded
 * memory. Not API: this package may change in any release, it exposes ND4J/SameDiff types, and only
 * ltrp-nd4j's public classes, ltrp-eval and ltrp-bench use it.
 */
package dev.ltrp.nd4j.internal.graph;
