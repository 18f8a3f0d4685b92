/**
 * A pickle reader that never executes anything ({@link
 * dev.ltrp.core.checkpoint.pickle.SafePickleReader}) and the plain-data object model it produces:
 * the low level beneath the PyTorch checkpoint reader.
 */
package dev.ltrp.core.checkpoint.pickle;
