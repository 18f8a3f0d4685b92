/**
 * Step 1 of LTRP, engine-free: how a visible patch is removed ({@link
 * dev.ltrp.core.oracle.RemovalMode}) and the index and mask arrays that let one batched MAE pass
 * compute every leave-one-out reconstruction ({@link dev.ltrp.core.oracle.LeaveOneOutPlan}).
 */
package dev.ltrp.core.oracle;
