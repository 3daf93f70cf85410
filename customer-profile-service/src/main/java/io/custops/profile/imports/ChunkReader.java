package io.custops.profile.imports;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an import file a chunk of lines at a time from a byte offset, so memory stays bounded by the chunk
 * whatever the file size, and a resumed job starts exactly after the last committed chunk.
 */
final class ChunkReader {
    private static final int BUFFER = 64 * 1024;

    private ChunkReader() {
    }

    record Line(long number, String text) {
    }

    /** @param nextOffset where the next chunk starts; equal to the file length at the end */
    record Chunk(List<Line> lines, long nextOffset, long nextRowNumber) {
    }

    /** Up to {@code max} non-empty lines from {@code offset}; row numbers continue from {@code firstRowNumber}. */
    static Chunk read(Path file, long offset, long firstRowNumber, int max) throws IOException {
        List<Line> lines = new ArrayList<>(max);
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            in.seek(offset);
            long position = offset;
            long row = firstRowNumber;
            byte[] buffer = new byte[BUFFER];
            java.io.ByteArrayOutputStream current = new java.io.ByteArrayOutputStream();
            int read;
            outer:
            while ((read = in.read(buffer)) > 0) {
                for (int i = 0; i < read; i++) {
                    position++;
                    if (buffer[i] == '\n') {
                        String text = current.toString(StandardCharsets.UTF_8).stripTrailing();
                        current.reset();
                        if (!text.isBlank()) {
                            lines.add(new Line(row++, text));
                            if (lines.size() == max) {
                                break outer;
                            }
                        }
                    } else {
                        current.write(buffer[i]);
                    }
                }
            }
            if (lines.size() < max && current.size() > 0) {
                String text = current.toString(StandardCharsets.UTF_8).stripTrailing();
                if (!text.isBlank()) {
                    lines.add(new Line(row++, text));
                }
            }
            return new Chunk(lines, lines.size() == max ? position : in.length(), row);
        }
    }
}
