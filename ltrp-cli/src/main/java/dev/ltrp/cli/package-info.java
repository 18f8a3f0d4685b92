/**
 * The {@code ltrp} command line ({@code bin/ltrp}): {@link dev.ltrp.cli.LtrpCommand} and its
 * subcommands, one class each, sharing one error policy ({@link dev.ltrp.cli.ErrorPolicy}).
 */
package dev.ltrp.cli;
