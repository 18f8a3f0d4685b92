package dev.ltrp.core.checkpoint.pickle;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Assembles pickles opcode by opcode for tests. Not thread-safe. */
public final class PickleBytes {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  /** A pickle starting with {@code PROTO protocol}. */
  public static PickleBytes proto(int protocol) {
    return new PickleBytes().op(0x80).raw(protocol);
  }

  /** An empty pickle without PROTO. */
  public static PickleBytes empty() {
    return new PickleBytes();
  }

  public PickleBytes op(int opcode) {
    out.write(opcode);
    return this;
  }

  public PickleBytes raw(int... bytes) {
    for (int b : bytes) {
      out.write(b);
    }
    return this;
  }

  public PickleBytes raw(byte[] bytes) {
    out.writeBytes(bytes);
    return this;
  }

  public PickleBytes u32(long v) {
    return raw(
        (int) v & 0xFF, (int) (v >>> 8) & 0xFF, (int) (v >>> 16) & 0xFF, (int) (v >>> 24) & 0xFF);
  }

  public PickleBytes u64(long v) {
    return u32(v).u32(v >>> 32);
  }

  /** GLOBAL module\nname\n. */
  public PickleBytes global(String module, String name) {
    return op('c').raw((module + "\n" + name + "\n").getBytes(StandardCharsets.UTF_8));
  }

  /** BINUNICODE. */
  public PickleBytes str(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    return op('X').u32(b.length).raw(b);
  }

  /** SHORT_BINUNICODE. */
  public PickleBytes shortStr(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    return op(0x8c).raw(b.length).raw(b);
  }

  /** BININT (or BININT1 for 0..255). */
  public PickleBytes integer(long v) {
    if (v >= 0 && v < 256) {
      return op('K').raw((int) v);
    }
    return op('J').u32(v);
  }

  /** LONG1 with eight bytes: any signed 64-bit value. */
  public PickleBytes long1(long v) {
    return op(0x8a).raw(8).u64(v);
  }

  public PickleBytes mark() {
    return op('(');
  }

  public PickleBytes stop() {
    return op('.');
  }

  public int size() {
    return out.size();
  }

  public byte[] bytes() {
    return out.toByteArray();
  }
}
