/**
 * Model architectures and their weights, engine-free: {@link dev.ltrp.core.model.MaeConfig} and
 * {@link dev.ltrp.core.model.RankerConfig} (the reference constructors' fields, presets, JSON),
 * {@link dev.ltrp.core.model.MaeWeights} and {@link dev.ltrp.core.model.RankerWeights} (a
 * checkpoint checked tensor by tensor against its architecture, loaded from a file, a stream or the
 * class path with {@link dev.ltrp.core.model.ModelResources}, saved with its architecture and
 * {@link dev.ltrp.core.model.ModelProvenance}), {@link dev.ltrp.core.model.ModelInfo} (what a model
 * file holds), the reference tensor layout and initialization, and the fixed sin-cos position
 * embeddings.
 */
package dev.ltrp.core.model;
