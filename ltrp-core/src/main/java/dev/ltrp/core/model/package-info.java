/**
 * Model architectures and their weights, engine-free: {@link dev.ltrp.core.model.MaeConfig} (the
 * reference constructor's fields, presets, JSON), {@link dev.ltrp.core.model.MaeWeights} (a
 * checkpoint checked tensor by tensor against its architecture), the reference tensor layout and
 * initialization, and the fixed sin-cos position embeddings.
 */
package dev.ltrp.core.model;
