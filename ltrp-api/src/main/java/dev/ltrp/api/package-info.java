/**
 * The public contract of LTRP for Java: interfaces and immutable value types, with no engine type
 * in any signature.
 *
 * <ul>
 *   <li>{@link dev.ltrp.api.PatchGrid}, {@link dev.ltrp.api.ImageTensor}, {@link
 *       dev.ltrp.api.Normalization}: the geometry and the input.
 *   <li>{@link dev.ltrp.api.ScoreOracle}, {@link dev.ltrp.api.VisibleSet}, {@link
 *       dev.ltrp.api.PatchScores}, {@link dev.ltrp.api.ScoreMap}: step 1 of the method, the
 *       semantic density scores of a masked autoencoder.
 *   <li>{@link dev.ltrp.api.PatchRanker}, {@link dev.ltrp.api.RedundancyReducer}, {@link
 *       dev.ltrp.api.Reduction}: steps 2 and 3, ranking every patch and keeping the top K.
 * </ul>
 */
package dev.ltrp.api;
