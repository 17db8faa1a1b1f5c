package dev.segments.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.segments.LocalSpark;
import dev.segments.SamplePipelineRun;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.JobArtifactSet$;
import org.apache.spark.JobArtifactState;
import org.apache.spark.SparkEnv;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.plans.logical.Command;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import scala.Option;
import scala.jdk.javaapi.CollectionConverters;
import scala.tools.nsc.Settings;
import scala.tools.nsc.interpreter.IMain;
import scala.tools.nsc.interpreter.Results;
import scala.tools.nsc.interpreter.shell.ReplReporterImpl;

/**
 * Runs every paragraph of every Zeppelin note in {@code notebooks/}, in order, on the outputs of the shared sample run,
 * as Zeppelin's Spark interpreter group would: {@code %spark.sql} through Spark SQL, {@code %spark} through the Scala
 * 2.13 interpreter with the names Zeppelin binds (closures included: executors load the classes they compile to),
 * {@code %md} only checked for content. Each note gets its own interpreter state and Spark session (Zeppelin's
 * "scoped per note" mode), so a note cannot lean on another.
 */
class NotebooksTest {
  private static final Path NOTEBOOKS = Path.of("notebooks");
  /** The Spark setting the notes read their output folder from (see their first paragraph). */
  private static final String OUTPUT_SETTING = "spark.segments.output";
  private static final Pattern DIRECTIVE = Pattern.compile("\\A\\s*%(\\S+)(?:\\s+|\\z)");
  /** What Zeppelin 0.11's Spark interpreter runs after binding spark, sc and sqlContext. */
  private static final List<String> ZEPPELIN_IMPORTS = List.of(
      "import org.apache.spark.SparkContext._",
      "import spark.implicits._",
      "import sqlContext.implicits._",
      "import spark.sql",
      "import org.apache.spark.sql.functions._");
  /** Zeppelin shows at most this many rows of a SQL result (zeppelin.spark.maxResult). */
  private static final int SHOWN_ROWS = 1000;

  private static Path output;
  private static StringWriter interpreterOutput;
  private static IMain interpreter;
  private static String replClassesUri;

  @TempDir
  static Path replClasses;

  @BeforeAll
  static void sampleRunAndInterpreter() {
    output = SamplePipelineRun.output().resolve("current");
    // Closures written in a paragraph are classes of the interpreter; executors must load them, as Zeppelin arranges
    // with spark.repl.class.uri. The shared session started without it, so the classes are served here and each note's
    // jobs carry their address (what Spark does per session for Spark Connect).
    replClassesUri = SparkEnv.get().rpcEnv().fileServer().addDirectory("/notebook-repl-classes", replClasses.toFile());
    Settings settings = new Settings();
    // -usejavacp: the test's class path holds Spark and the project's classes, as the interpreter's class path holds
    // Spark and customer-segments.jar in Zeppelin (surefire sets java.class.path to the test class path).
    settings.processArguments(CollectionConverters.asScala(List.of("-usejavacp", "-Yrepl-class-based",
        "-Yrepl-outdir", replClasses.toString())).toList(), true);
    interpreterOutput = new StringWriter();
    interpreter = new IMain(settings, new ReplReporterImpl(settings, new PrintWriter(interpreterOutput, true)));
  }

  @AfterAll
  static void closeInterpreter() {
    if (interpreter != null) {
      interpreter.close();
    }
  }

  @TestFactory
  Stream<DynamicNode> everyParagraphOfEveryNoteRuns() throws IOException {
    List<Path> notes;
    try (Stream<Path> files = Files.list(NOTEBOOKS)) {
      notes = files.filter(f -> f.getFileName().toString().endsWith(".zpln")).sorted().toList();
    }
    assertFalse(notes.isEmpty(), "no .zpln notes in " + NOTEBOOKS.toAbsolutePath());
    List<DynamicNode> containers = new ArrayList<>();
    for (Path file : notes) {
      containers.add(note(file));
    }
    return containers.stream();
  }

  private static DynamicContainer note(Path file) throws IOException {
    JsonNode note = new ObjectMapper().readTree(file.toFile());
    String noteName = file.getFileName() + " (" + note.path("name").asText() + ")";
    NoteRun run = new NoteRun(noteName);
    List<DynamicNode> tests = new ArrayList<>();
    tests.add(DynamicTest.dynamicTest("is a Zeppelin note", () -> {
      assertFalse(note.path("name").asText().isBlank(), noteName + ": no name");
      assertFalse(note.path("id").asText().isBlank(), noteName + ": no id");
      assertEquals("spark", note.path("defaultInterpreterGroup").asText(), noteName);
      assertTrue(note.path("paragraphs").isArray() && note.path("paragraphs").size() > 0, noteName + ": no paragraphs");
    }));
    int number = 0;
    for (JsonNode paragraph : note.path("paragraphs")) {
      number++;
      String title = "paragraph " + number + " \"" + paragraph.path("title").asText() + "\"";
      String text = paragraph.path("text").asText();
      tests.add(DynamicTest.dynamicTest(title, () -> run.paragraph(title, text)));
    }
    return DynamicContainer.dynamicContainer(noteName, tests);
  }

  /** One note's run: its session and interpreter state, and whether a paragraph has failed. */
  private static final class NoteRun {
    private final String note;
    private SparkSession session;
    private JobArtifactState jobArtifacts;
    private String failed;

    NoteRun(String note) {
      this.note = note;
    }

    void paragraph(String title, String text) {
      // Later paragraphs build on earlier ones: after a failure they would only fail again, less clearly.
      Assumptions.assumeTrue(failed == null, () -> "not run: " + failed + " failed");
      try {
        run(title, text);
      } catch (Throwable e) {
        failed = title;
        throw e;
      }
    }

    private void run(String title, String text) {
      String where = note + ", " + title;
      Matcher directive = DIRECTIVE.matcher(text);
      if (!directive.find()) {
        fail(where + ": no interpreter directive; start the paragraph with %spark, %spark.sql or %md");
      }
      String body = text.substring(directive.end());
      assertFalse(body.isBlank(), where + ": empty paragraph");
      switch (directive.group(1)) {
        case "md" -> { }
        case "spark.sql" -> withNoteClasses(() -> sql(where, body));
        case "spark" -> withNoteClasses(() -> scala(where, body));
        default -> fail(where + ": unsupported interpreter %" + directive.group(1)
            + "; the notes run in Zeppelin's spark group: %spark, %spark.sql and %md");
      }
    }

    /** Runs a code paragraph with its Spark jobs able to load the classes the note's Scala paragraphs defined. */
    private void withNoteClasses(Runnable paragraph) {
      session();
      JobArtifactSet$.MODULE$.withActiveJobArtifactState(jobArtifacts, () -> {
        paragraph.run();
        return null;
      });
    }

    private void sql(String where, String body) {
      SparkSession spark = session();
      boolean query;
      List<Row> rows;
      try {
        query = !(spark.sessionState().sqlParser().parsePlan(body) instanceof Command);
        rows = spark.sql(body).takeAsList(SHOWN_ROWS);
      } catch (Exception e) {
        throw new AssertionError(where + ": " + e.getMessage(), e);
      }
      if (query) {
        assertFalse(rows.isEmpty(), where + ": the query answered no rows on the sample run");
      }
    }

    private void scala(String where, String body) {
      String printed = interpret(body);
      if (printed != null) {
        fail(where + ": the Scala paragraph failed:\n" + printed);
      }
    }

    /** The note's session, made on its first code paragraph: interpreter reset, Zeppelin's names bound to it. */
    private SparkSession session() {
      if (session == null) {
        session = LocalSpark.session().newSession();
        session.conf().set(OUTPUT_SETTING, output.toString());
        jobArtifacts = new JobArtifactState("notebook-" + UUID.randomUUID(), Option.apply(replClassesUri));
        interpreter.reset();
        bind("spark", "org.apache.spark.sql.SparkSession", session);
        bind("sc", "org.apache.spark.SparkContext", session.sparkContext());
        bind("sqlContext", "org.apache.spark.sql.SQLContext", session.sqlContext());
        for (String line : ZEPPELIN_IMPORTS) {
          String printed = interpret(line);
          if (printed != null) {
            throw new IllegalStateException("cannot run Zeppelin's " + line + ":\n" + printed);
          }
        }
      }
      return session;
    }

    private static void bind(String name, String type, Object value) {
      interpreterOutput.getBuffer().setLength(0);
      Results.Result result = interpreter.bind(name, type, value,
          CollectionConverters.asScala(List.of("@transient")).toList());
      if (result != Results.Success$.MODULE$) {
        throw new IllegalStateException("cannot bind " + name + ":\n" + interpreterOutput);
      }
    }

    /** Runs code in the interpreter; null on success, else what the interpreter printed (errors, stack trace). */
    private static String interpret(String code) {
      interpreterOutput.getBuffer().setLength(0);
      Results.Result result = interpreter.interpret(code);
      if (result == Results.Success$.MODULE$) {
        return null;
      }
      return (result == Results.Incomplete$.MODULE$ ? "incomplete input (an unclosed brace, quote or comment?)\n"
          : "") + interpreterOutput;
    }
  }
}
