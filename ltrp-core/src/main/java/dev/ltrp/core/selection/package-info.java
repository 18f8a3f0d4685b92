/**
 * Step 3 of LTRP, keeping the top K: plain top-K by score, and the paper's hybrid that keeps the
 * best-scored patches and fills the rest with one patch per DPC-KNN cluster for diversity ({@link
 * dev.ltrp.core.selection.PatchSelection}, {@link dev.ltrp.core.selection.DpcKnn}); {@link
 * dev.ltrp.core.selection.TopKReducer} puts a ranker and a selection behind the {@link
 * dev.ltrp.api.RedundancyReducer} interface.
 */
package dev.ltrp.core.selection;
