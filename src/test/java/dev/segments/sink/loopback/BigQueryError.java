package dev.segments.sink.loopback;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An error as BigQuery reports it: an HTTP status, a reason from BigQuery's error table and a message. As a response
 * body it is {@code {"error":{"code","message","errors":[{"message","domain","reason"}],"status"}}}; in a failed job
 * it is the job's {@code status.errorResult} (see https://cloud.google.com/bigquery/docs/error-messages).
 */
final class BigQueryError extends RuntimeException {
  final int status;
  final String reason;

  BigQueryError(int status, String reason, String message) {
    super(message);
    this.status = status;
    this.reason = reason;
  }

  static BigQueryError notFound(String message) {
    return new BigQueryError(404, "notFound", "Not found: " + message);
  }

  static BigQueryError duplicate(String message) {
    return new BigQueryError(409, "duplicate", "Already Exists: " + message);
  }

  static BigQueryError invalid(String message) {
    return new BigQueryError(400, "invalid", message);
  }

  static BigQueryError invalidQuery(String message) {
    return new BigQueryError(400, "invalidQuery", message);
  }

  /** The error BigQuery answers with this HTTP status when nothing more specific applies. */
  static BigQueryError forStatus(int status, String message) {
    return switch (status) {
      case 400 -> invalid(message);
      case 403 -> new BigQueryError(403, "accessDenied", message);
      case 404 -> new BigQueryError(404, "notFound", message);
      case 409 -> new BigQueryError(409, "duplicate", message);
      case 429 -> new BigQueryError(429, "rateLimitExceeded", message);
      case 503 -> new BigQueryError(503, "backendError", message);
      default -> new BigQueryError(status, status >= 500 ? "backendError" : "invalid", message);
    };
  }

  /** The error proto of a job's status ({@code errorResult} and {@code errors[]}). */
  ObjectNode errorProto() {
    ObjectNode proto = JsonNodeFactory.instance.objectNode();
    proto.put("reason", reason);
    proto.put("message", getMessage());
    return proto;
  }

  /** The body of an HTTP error answer. */
  ObjectNode body() {
    ObjectNode error = JsonNodeFactory.instance.objectNode();
    error.put("code", status);
    error.put("message", getMessage());
    ObjectNode item = error.putArray("errors").addObject();
    item.put("message", getMessage());
    item.put("domain", "global");
    item.put("reason", reason);
    error.put("status", switch (status) {
      case 400 -> "INVALID_ARGUMENT";
      case 403 -> "PERMISSION_DENIED";
      case 404 -> "NOT_FOUND";
      case 409 -> "ALREADY_EXISTS";
      case 429 -> "RESOURCE_EXHAUSTED";
      case 503 -> "UNAVAILABLE";
      default -> status >= 500 ? "INTERNAL" : "FAILED_PRECONDITION";
    });
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.set("error", error);
    return body;
  }
}
