/**
 * Example programs: each has a {@code main} and a static method returning its result, which the
 * tests call, so the examples stay compiled and correct.
 */
package dev.ltrp.examples;
