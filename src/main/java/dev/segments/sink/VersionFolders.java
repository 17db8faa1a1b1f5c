package dev.segments.sink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The output folder's layout: immutable version folders under {@code versions/}, and {@code current}, a relative
 * symbolic link to the published one, replaced by an atomic rename so a reader sees the old version or the new one,
 * never a mix. One writer at a time (see {@link LocalWarehouse}).
 *
 * <p>Only folders a run made are ever deleted: each version folder gets the marker file {@value #MARKER} the moment it
 * is created, and a folder under {@code versions/} without it (or a published version's manifest) is left alone.
 */
final class VersionFolders {
  static final String CURRENT = "current";
  static final String VERSIONS = "versions";
  /** The empty file that says a run made this version folder, so a run may remove it. */
  static final String MARKER = ".segments-version";
  private static final Logger LOG = LoggerFactory.getLogger(VersionFolders.class);

  private final Path root;

  VersionFolders(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  Path root() {
    return root;
  }

  Path current() {
    return root.resolve(CURRENT);
  }

  /** The folder {@code current} points to, if any version was published. */
  Optional<Path> currentVersion() {
    Path current = current();
    if (!Files.isSymbolicLink(current)) {
      if (Files.exists(current)) {
        throw new IllegalStateException(current + " exists but is not a symbolic link; move it away");
      }
      return Optional.empty();
    }
    try {
      return Optional.of(current.getParent().resolve(Files.readSymbolicLink(current)).normalize());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the link " + current, e);
    }
  }

  /**
   * Creates the folder for a new version, holding only {@link #MARKER}. A leftover folder of the same name that a run
   * made (a crashed run's) is removed first; the folder {@code current} points to is never reused, and a folder no
   * run made is refused, never deleted.
   *
   * @param folderName one plain file name: not {@code .} or {@code ..}, no path separator
   */
  Path createVersion(String folderName) throws IOException {
    Path versions = root.resolve(VERSIONS);
    Path version = versions.resolve(folderName).normalize();
    if (folderName.isEmpty() || folderName.equals(".") || folderName.equals("..")
        || !versions.equals(version.getParent())) {
      throw new IllegalArgumentException("'" + folderName + "' is not a version folder name");
    }
    if (Files.exists(version, LinkOption.NOFOLLOW_LINKS)) {
      if (currentVersion().filter(version::equals).isPresent()) {
        throw new IllegalStateException("run " + folderName + " is already the published version; use a new run id");
      }
      if (!madeByARun(version)) {
        throw new OutputFolderException(version + " exists and no run made it; move it away or use a new run id");
      }
      deleteTree(version);
    }
    Files.createDirectories(version);
    Files.createFile(version.resolve(MARKER));
    return version;
  }

  /** Whether a run made the folder: it holds the marker, or a published version's manifest (versions before it). */
  private static boolean madeByARun(Path folder) {
    return Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)
        && (Files.isRegularFile(folder.resolve(MARKER), LinkOption.NOFOLLOW_LINKS)
            || PublishManifest.readFrom(folder).isPresent());
  }

  /**
   * Hard-links (or copies, where the file system has no hard links) every {@code run_date=...} partition of every
   * table in {@code from} except {@code replaced} into {@code to}. Published versions are never modified, so sharing
   * their files is safe.
   *
   * @return the tables found in {@code from}
   */
  List<String> carryOverPartitions(Path from, Path to, LocalDate replaced) throws IOException {
    String replacedPartition = OutputTable.RUN_DATE + "=" + replaced;
    List<String> tables = new ArrayList<>();
    try (Stream<Path> tableFolders = Files.list(from)) {
      for (Path tableFolder : tableFolders.filter(Files::isDirectory).sorted().toList()) {
        tables.add(tableFolder.getFileName().toString());
        try (Stream<Path> partitions = Files.list(tableFolder)) {
          for (Path partition : partitions.toList()) {
            String name = partition.getFileName().toString();
            if (Files.isDirectory(partition) && name.startsWith(OutputTable.RUN_DATE + "=")
                && !name.equals(replacedPartition)) {
              linkTree(partition, to.resolve(tableFolder.getFileName().toString()).resolve(name));
            }
          }
        }
      }
    }
    return tables;
  }

  /** Points {@code current} at the version in one atomic rename of a fresh link over the old one. */
  void makeCurrent(Path version) throws IOException {
    Path link = root.resolve(CURRENT + ".next");
    Files.deleteIfExists(link);
    Files.createSymbolicLink(link, root.relativize(version));
    Files.move(link, current(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /**
   * Removes the versions beyond the newest {@code retain} published ones, and every folder a run made that was never
   * published. The current version, and any folder no run made, are always kept. Failures are logged: the publish
   * they follow has succeeded.
   */
  void prune(int retain) {
    Path versions = root.resolve(VERSIONS);
    Optional<Path> current = currentVersion();
    record Published(Path folder, long sequence) {}
    List<Published> published = new ArrayList<>();
    List<Path> remove = new ArrayList<>();
    try (Stream<Path> folders = Files.list(versions)) {
      for (Path folder : folders.filter(Files::isDirectory).toList()) {
        if (current.filter(folder::equals).isPresent() || !madeByARun(folder)) {
          continue;
        }
        PublishManifest.readFrom(folder).ifPresentOrElse(
            manifest -> published.add(new Published(folder, manifest.sequence())), () -> remove.add(folder));
      }
    } catch (IOException e) {
      LOG.warn("Could not list {} to remove old versions", versions, e);
      return;
    }
    published.sort(Comparator.comparingLong(Published::sequence).reversed());
    published.stream().skip(Math.max(0, retain - 1)).forEach(p -> remove.add(p.folder()));
    for (Path folder : remove) {
      try {
        deleteTree(folder);
        LOG.info("Removed old or unpublished version {}", folder.getFileName());
      } catch (IOException | UncheckedIOException e) {
        LOG.warn("Could not remove {}", folder, e);
      }
    }
  }

  static void deleteTree(Path folder) throws IOException {
    if (!Files.exists(folder)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(folder)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  private static void linkTree(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path source : paths.toList()) {
        Path target = to.resolve(from.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          try {
            Files.createLink(target, source);
          } catch (UnsupportedOperationException | FileSystemException e) {
            Files.copy(source, target);
          }
        }
      }
    }
  }
}
