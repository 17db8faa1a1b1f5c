package dev.segments.sink.loopback;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.DelegateToFileSystem;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * A Hadoop {@code FileSystem} for the {@code gs} scheme that keeps each bucket in a local folder: {@code
 * gs://bucket/a/b} is {@code <folder of bucket>/a/b}. Buckets are served by a {@link LoopbackBigQuery} ({@link
 * LoopbackBigQuery#createBucket}), which also knows each bucket's location, so the connector's indirect write
 * (Parquet files under {@code temporaryGcsBucket}) lands where the loopback's load jobs read it.
 *
 * <p>Register it in the Hadoop configuration Spark writes with: {@link #register(Configuration)}, or the Spark
 * options {@code spark.hadoop.fs.gs.impl=dev.segments.sink.loopback.LoopbackGcs} and {@code
 * spark.hadoop.fs.AbstractFileSystem.gs.impl=dev.segments.sink.loopback.LoopbackGcs$Abstract}. There are no
 * checksum files and no permissions, as on Cloud Storage. A launched JVM without the server finds the buckets
 * through {@value #ROOT_KEY} set to {@link LoopbackBigQuery#gcsRoot()} (the class must be on its class path).
 */
public class LoopbackGcs extends RawLocalFileSystem {
  /** A served bucket: its local folder and its location (region or multi-region). */
  record Bucket(String name, Path folder, String location, Object owner) {}

  private static final Map<String, Bucket> BUCKETS = new ConcurrentHashMap<>();

  /**
   * For a JVM other than the server's (a launched process): the folder that holds one sub-folder per bucket
   * ({@link LoopbackBigQuery#gcsRoot()}), used for buckets this JVM has no server for.
   */
  public static final String ROOT_KEY = "fs.gs.loopback.root";

  private URI uri;
  private String bucket;
  private Path root;
  private org.apache.hadoop.fs.Path workingDirectory;

  /** Sets {@code fs.gs.impl} (and the {@code AbstractFileSystem} binding) in a Hadoop configuration. */
  public static void register(Configuration conf) {
    conf.set("fs.gs.impl", LoopbackGcs.class.getName());
    conf.set("fs.AbstractFileSystem.gs.impl", Abstract.class.getName());
  }

  static void serve(Bucket served) {
    Bucket previous = BUCKETS.putIfAbsent(served.name(), served);
    if (previous != null && previous.owner() != served.owner()) {
      throw new IllegalStateException("bucket " + served.name() + " is already served by another LoopbackBigQuery");
    }
  }

  static void stopServing(Object owner) {
    BUCKETS.values().removeIf(b -> b.owner() == owner);
  }

  static Bucket bucket(String name) {
    return BUCKETS.get(name);
  }

  /** The local file of {@code gs://bucket/path}, or null when no loopback serves the bucket. */
  static File localFile(URI gsUri) {
    Bucket served = BUCKETS.get(gsUri.getAuthority());
    return served == null ? null : new File(served.folder().toFile(), gsUri.getPath());
  }

  @Override
  public void initialize(URI name, Configuration conf) throws IOException {
    bucket = name.getAuthority();
    uri = URI.create("gs://" + bucket + "/");
    String configuredRoot = conf.get(ROOT_KEY);
    root = configuredRoot == null ? null : Path.of(configuredRoot);
    workingDirectory = new org.apache.hadoop.fs.Path(uri);
    super.initialize(name, conf);
  }

  @Override
  public String getScheme() {
    return "gs";
  }

  @Override
  public URI getUri() {
    return uri;
  }

  @Override
  public org.apache.hadoop.fs.Path getWorkingDirectory() {
    return workingDirectory;
  }

  @Override
  public void setWorkingDirectory(org.apache.hadoop.fs.Path directory) {
    workingDirectory = directory.isAbsolute() ? directory : new org.apache.hadoop.fs.Path(workingDirectory, directory);
  }

  @Override
  protected org.apache.hadoop.fs.Path getInitialWorkingDirectory() {
    // RawLocalFileSystem's constructor asks before initialize has named the bucket.
    return uri == null ? new org.apache.hadoop.fs.Path("/") : new org.apache.hadoop.fs.Path(uri);
  }

  @Override
  public org.apache.hadoop.fs.Path getHomeDirectory() {
    return new org.apache.hadoop.fs.Path(uri);
  }

  @Override
  public File pathToFile(org.apache.hadoop.fs.Path path) {
    org.apache.hadoop.fs.Path absolute = path.isAbsolute() ? path : new org.apache.hadoop.fs.Path(workingDirectory, path);
    String authority = absolute.toUri().getAuthority() == null ? bucket : absolute.toUri().getAuthority();
    return new File(folder(authority).toFile(), absolute.toUri().getPath());
  }

  private Path folder(String bucketName) {
    Bucket served = BUCKETS.get(bucketName);
    if (served != null) {
      return served.folder();
    }
    if (root != null && Files.isDirectory(root.resolve(bucketName))) {
      return root.resolve(bucketName);
    }
    throw new IllegalStateException("gs://" + bucketName + " is not a bucket of any running LoopbackBigQuery"
        + (root == null ? "" : " nor a folder of " + root));
  }

  @Override
  public FileStatus getFileStatus(org.apache.hadoop.fs.Path path) throws IOException {
    return inBucket(super.getFileStatus(path));
  }

  @Override
  public FileStatus getFileLinkStatus(org.apache.hadoop.fs.Path path) throws IOException {
    return inBucket(super.getFileLinkStatus(path));
  }

  @Override
  public FileStatus[] listStatus(org.apache.hadoop.fs.Path path) throws IOException {
    FileStatus[] statuses = super.listStatus(path);
    for (int i = 0; i < statuses.length; i++) {
      statuses[i] = inBucket(statuses[i]);
    }
    return statuses;
  }

  /**
   * The local file system names a status by its local path; the copy names it by its gs:// path. A plain status
   * also avoids the local one's lazy permission lookup, which would run {@code ls} on the gs:// path.
   */
  private FileStatus inBucket(FileStatus local) {
    String path = local.getPath().toUri().getPath();
    String folder = folder(bucket).toAbsolutePath().toString();
    String inBucket = path.startsWith(folder) ? path.substring(folder.length()) : path;
    org.apache.hadoop.fs.Path gsPath =
        new org.apache.hadoop.fs.Path("gs://" + bucket + (inBucket.isEmpty() ? "/" : inBucket));
    return new FileStatus(local.getLen(), local.isDirectory(), 1, local.getBlockSize(), local.getModificationTime(),
        gsPath);
  }

  /** The {@code AbstractFileSystem} binding, for callers that go through {@code FileContext}. */
  public static final class Abstract extends DelegateToFileSystem {
    public Abstract(URI uri, Configuration conf) throws IOException, URISyntaxException {
      super(uri, new LoopbackGcs(), conf, "gs", false);
    }
  }
}
