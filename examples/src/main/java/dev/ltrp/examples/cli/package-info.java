/**
 * The {@code ltrp} command line ({@code bin/ltrp}): {@link dev.ltrp.examples.cli.LtrpCommand} and
 * its subcommands, one class each, sharing one error policy ({@link
 * dev.ltrp.examples.cli.ErrorPolicy}).
 */
package dev.ltrp.examples.cli;
