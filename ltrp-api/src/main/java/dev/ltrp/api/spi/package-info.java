/** Service interfaces that engine modules implement to plug into the engine-free API. */
package dev.ltrp.api.spi;
