package dev.ltrp.core.checkpoint;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parsed and fully validated header of a safetensors file: {@code u64} little-endian header
 * length N, N bytes of UTF-8 JSON, then the data section. Validation happens before any tensor is
 * allocated, so that no file can make the reader allocate more than its data section justifies.
 * Immutable.
 */
final class SafetensorsHeader {

  /** Largest header accepted, as in the reference implementation (100 MB). */
  static final long MAX_HEADER_BYTES = 100_000_000L;

  static final String METADATA_KEY = "__metadata__";

  /** One tensor's header entry; {@code begin} and {@code end} are relative to the data section. */
  record Entry(String name, DType dtype, int[] shape, int numel, long begin, long end) {}

  private static final ObjectMapper JSON =
      new ObjectMapper(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder()
                          .maxNestingDepth(16)
                          .maxNumberLength(64)
                          .build())
                  .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                  .build())
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  final List<Entry> entries;
  final Map<String, String> metadata;

  /** File offset of the data section. */
  final long dataStart;

  private SafetensorsHeader(List<Entry> entries, Map<String, String> metadata, long dataStart) {
    this.entries = Collections.unmodifiableList(entries);
    this.metadata = Collections.unmodifiableMap(metadata);
    this.dataStart = dataStart;
  }

  static SafetensorsHeader read(SeekableByteChannel channel) throws IOException {
    long size = channel.size();
    if (size < 8) {
      throw CheckpointFormatException.atOffset(
          size == 0
              ? "file is empty"
              : "file has " + size + " bytes, fewer than the 8-byte safetensors header length",
          size);
    }
    ByteBuffer lengthBytes = readFully(channel, 0, 8).order(ByteOrder.LITTLE_ENDIAN);
    long n = lengthBytes.getLong();
    if (n < 0 || n > size - 8) {
      throw CheckpointFormatException.atOffset(
          "safetensors header length "
              + Long.toUnsignedString(n)
              + " exceeds the "
              + (size - 8)
              + " bytes that follow it",
          0);
    }
    if (n > MAX_HEADER_BYTES) {
      throw CheckpointFormatException.atOffset(
          "safetensors header length " + n + " exceeds the limit of " + MAX_HEADER_BYTES, 0);
    }
    byte[] header = readFully(channel, 8, (int) n).array();
    if (n < 2 || header[0] != '{') {
      throw CheckpointFormatException.atOffset(
          "safetensors header does not start with a JSON object", 8);
    }
    // Decoded here, not by Jackson: given bytes, Jackson guesses the encoding from the first
    // bytes, read "{\0\0\0" as UTF-32 and failed with a CharConversionException that is no
    // JacksonException (found by fuzzing, issue 5). The format says UTF-8.
    ByteBuffer in = ByteBuffer.wrap(header);
    CharBuffer decoded = CharBuffer.allocate(header.length); // UTF-8 never decodes to more
    CoderResult result =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .decode(in, decoded, true);
    if (result.isError()) {
      throw CheckpointFormatException.atOffset(
          "safetensors header is not valid UTF-8", 8 + in.position());
    }
    String text = decoded.flip().toString();
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (JacksonException e) {
      long chars = e.getLocation() == null ? -1 : e.getLocation().getCharOffset();
      long at =
          chars < 0 || chars > text.length()
              ? -1
              : text.substring(0, (int) chars).getBytes(StandardCharsets.UTF_8).length;
      throw new CheckpointFormatException(
          null,
          "safetensors header is not valid JSON: " + e.getOriginalMessage(),
          at < 0 ? 8 : 8 + at,
          e);
    }
    if (root == null || !root.isObject()) {
      throw CheckpointFormatException.atOffset("safetensors header is not a JSON object", 8);
    }
    return parse(root, 8 + n, size - 8 - n);
  }

  private static SafetensorsHeader parse(JsonNode root, long dataStart, long dataLength)
      throws CheckpointFormatException {
    List<Entry> entries = new ArrayList<>();
    Map<String, String> metadata = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> field : root.properties()) {
      String name = field.getKey();
      JsonNode value = field.getValue();
      if (name.equals(METADATA_KEY)) {
        if (!value.isObject()) {
          throw new CheckpointFormatException("safetensors __metadata__ is not a JSON object");
        }
        for (Map.Entry<String, JsonNode> m : value.properties()) {
          if (!m.getValue().isTextual()) {
            throw new CheckpointFormatException(
                "safetensors __metadata__ entry " + m.getKey() + " is not a string");
          }
          metadata.put(m.getKey(), m.getValue().textValue());
        }
      } else {
        entries.add(entry(name, value, dataLength));
      }
    }
    checkNoOverlap(entries);
    return new SafetensorsHeader(entries, metadata, dataStart);
  }

  private static Entry entry(String name, JsonNode value, long dataLength)
      throws CheckpointFormatException {
    if (!value.isObject()) {
      throw bad(name, "has a header entry that is not a JSON object");
    }
    JsonNode dtypeNode = value.get("dtype");
    if (dtypeNode == null || !dtypeNode.isTextual()) {
      throw bad(name, "has no dtype");
    }
    DType dtype =
        DType.fromSafetensorsName(dtypeNode.textValue())
            .orElseThrow(() -> bad(name, "has unsupported dtype " + dtypeNode.textValue()));

    JsonNode shapeNode = value.get("shape");
    if (shapeNode == null || !shapeNode.isArray()) {
      throw bad(name, "has no shape array");
    }
    if (shapeNode.size() > TorchTensors.MAX_RANK) {
      throw bad(name, "has rank " + shapeNode.size() + ", above " + TorchTensors.MAX_RANK);
    }
    int[] shape = new int[shapeNode.size()];
    for (int i = 0; i < shape.length; i++) {
      JsonNode d = shapeNode.get(i);
      if (!d.isIntegralNumber() || !d.canConvertToLong() || d.longValue() < 0) {
        throw bad(
            name,
            "has shape " + shapeNode + " with a dimension that is not a" + " non-negative integer");
      }
      if (d.longValue() > Integer.MAX_VALUE) {
        throw bad(name, "has shape " + shapeNode + ", too large for a Java array");
      }
      shape[i] = d.intValue();
    }
    long numel = Tensor.numel(shape);
    if (numel < 0 || numel > TorchTensors.MAX_ELEMENTS) {
      throw bad(name, "has shape " + Arrays.toString(shape) + ", too large for a Java array");
    }

    JsonNode offsets = value.get("data_offsets");
    if (offsets == null || !offsets.isArray() || offsets.size() != 2) {
      throw bad(name, "has no data_offsets [begin, end]");
    }
    long[] range = new long[2];
    for (int i = 0; i < 2; i++) {
      JsonNode o = offsets.get(i);
      if (!o.isIntegralNumber() || !o.canConvertToLong() || o.longValue() < 0) {
        throw bad(name, "has data_offsets " + offsets + " that are not non-negative integers");
      }
      range[i] = o.longValue();
    }
    long begin = range[0];
    long end = range[1];
    if (end < begin) {
      throw bad(name, "has data_offsets " + offsets + " that end before they begin");
    }
    if (end > dataLength) {
      throw bad(
          name,
          "has data_offsets " + offsets + " beyond the data section of " + dataLength + " bytes");
    }
    long bytes = numel * dtype.byteSize(); // numel <= 2^31, no overflow
    if (end - begin != bytes) {
      throw bad(
          name,
          "has data_offsets "
              + offsets
              + " spanning "
              + (end - begin)
              + " bytes, but shape "
              + Arrays.toString(shape)
              + " of "
              + dtype
              + " needs "
              + bytes);
    }
    return new Entry(name, dtype, shape, (int) numel, begin, end);
  }

  private static void checkNoOverlap(List<Entry> entries) throws CheckpointFormatException {
    List<Entry> byBegin = new ArrayList<>();
    for (Entry e : entries) {
      if (e.end() > e.begin()) {
        byBegin.add(e);
      }
    }
    byBegin.sort(Comparator.comparingLong(Entry::begin));
    Entry furthest = null;
    for (Entry e : byBegin) {
      if (furthest != null && e.begin() < furthest.end()) {
        throw bad(
            e.name(),
            "has data_offsets ["
                + e.begin()
                + ", "
                + e.end()
                + "] overlapping tensor "
                + furthest.name()
                + " ["
                + furthest.begin()
                + ", "
                + furthest.end()
                + "]");
      }
      if (furthest == null || e.end() > furthest.end()) {
        furthest = e;
      }
    }
  }

  private static ByteBuffer readFully(SeekableByteChannel channel, long position, int n)
      throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(n);
    channel.position(position);
    while (buf.hasRemaining()) {
      if (channel.read(buf) < 0) {
        throw CheckpointFormatException.atOffset("file shrank while being read", position);
      }
    }
    return buf.flip();
  }

  private static CheckpointFormatException bad(String name, String detail) {
    return CheckpointFormatException.forTensor(name, detail);
  }
}
