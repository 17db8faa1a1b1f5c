package dev.segments.ingest;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * The physical lines of a file, numbered from 1, as a stream: split on the newline byte (a {@code \r} before it is
 * dropped), then each line decoded on its own with a decoder that refuses bytes the encoding cannot read, so an
 * encoding error names its line. A UTF-8 byte-order mark at the start is dropped. Lines can be pushed back to be read
 * again, which is how a broken record's following lines are re-read as rows of their own.
 */
final class CsvLines implements Closeable {
  private static final byte[] UTF8_BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

  /** One line of the file: its number (the header is line 1) and its text without the line break. */
  record Line(long number, String text) {}

  private final InputStream in;
  private final String fileName;
  private final Charset charset;
  private final CharsetDecoder decoder;
  private final Deque<Line> pushedBack = new ArrayDeque<>();
  private final byte[] buffer = new byte[1 << 16];
  private int bufferStart;
  private int bufferEnd;
  private byte[] lineBytes = new byte[256];
  private long lastNumber;
  private boolean endOfFile;

  CsvLines(InputStream in, String fileName, Charset charset) {
    this.in = in;
    this.fileName = fileName;
    this.charset = charset;
    this.decoder = charset.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
  }

  /** The next line, or null at the end of the file. */
  Line next() throws IOException {
    if (!pushedBack.isEmpty()) {
      return pushedBack.pop();
    }
    int length = readLineBytes();
    if (length < 0) {
      return null;
    }
    long number = ++lastNumber;
    int start = 0;
    if (number == 1 && charset.equals(StandardCharsets.UTF_8) && length >= 3
        && Arrays.equals(lineBytes, 0, 3, UTF8_BOM, 0, 3)) {
      start = 3;
    }
    return new Line(number, decode(start, length, number));
  }

  /** Puts lines back in front of the stream, to be returned again in the order given. */
  void pushBack(List<Line> lines) {
    for (int i = lines.size() - 1; i >= 0; i--) {
      pushedBack.push(lines.get(i));
    }
  }

  private String decode(int start, int end, long number) {
    boolean ascii = true;
    for (int i = start; i < end && ascii; i++) {
      ascii = lineBytes[i] >= 0;
    }
    if (ascii) {
      // Every encoding allowed (see CsvOptions) reads ASCII bytes as ASCII; the common case needs no decoder.
      return new String(lineBytes, start, end - start, StandardCharsets.ISO_8859_1);
    }
    try {
      return decoder.reset().decode(ByteBuffer.wrap(lineBytes, start, end - start)).toString();
    } catch (CharacterCodingException e) {
      throw new InputEncodingException(fileName, number, charset.name());
    }
  }

  /** Reads one line's bytes into {@link #lineBytes}; returns its length without the line break, or -1 at the end. */
  private int readLineBytes() throws IOException {
    int length = 0;
    boolean any = false;
    while (true) {
      if (bufferStart == bufferEnd) {
        if (endOfFile || !fill()) {
          endOfFile = true;
          return any ? trimCarriageReturn(length) : -1;
        }
      }
      any = true;
      int newline = -1;
      for (int i = bufferStart; i < bufferEnd; i++) {
        if (buffer[i] == '\n') {
          newline = i;
          break;
        }
      }
      int chunkEnd = newline < 0 ? bufferEnd : newline;
      length = append(length, chunkEnd - bufferStart);
      bufferStart = newline < 0 ? bufferEnd : newline + 1;
      if (newline >= 0) {
        return trimCarriageReturn(length);
      }
    }
  }

  private boolean fill() throws IOException {
    int read;
    do {
      read = in.read(buffer);
    } while (read == 0);
    if (read < 0) {
      return false;
    }
    bufferStart = 0;
    bufferEnd = read;
    return true;
  }

  private int append(int length, int count) {
    if (length + count > lineBytes.length) {
      lineBytes = Arrays.copyOf(lineBytes, Math.max(lineBytes.length * 2, length + count));
    }
    System.arraycopy(buffer, bufferStart, lineBytes, length, count);
    return length + count;
  }

  private int trimCarriageReturn(int length) {
    return length > 0 && lineBytes[length - 1] == '\r' ? length - 1 : length;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
