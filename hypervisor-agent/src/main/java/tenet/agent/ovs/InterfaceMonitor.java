package tenet.agent.ovs;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.EOFException;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tenet.agent.link.Backoff;
import tenet.agent.vifs.InterfaceEvent;

/**
 * OVSDB's change notifications for the Interface table: a JSON-RPC {@code monitor} (RFC 7047,
 * 4.1.5) on ovsdb-server's unix socket, read on a thread of its own. ovsdb-server answers the
 * monitor with every row and then sends each committed transaction's rows as it commits, so the
 * agent hears of a port within milliseconds and never has to ask.
 *
 * <p>Events go to {@code events} in the order ovsdb-server sent them: a {@link
 * InterfaceEvent.Snapshot} first, then {@link InterfaceEvent.Changes}. When the connection breaks
 * (ovsdb-server restarted, a message it could not make sense of) it says {@link
 * InterfaceEvent.Lost} once, connects again with a backoff, and starts over with a Snapshot.
 * {@link #reread} asks for a new Snapshot on the same connection (monitor_cancel, then monitor),
 * so that whatever a lost notification would have left wrong is put right.
 */
public final class InterfaceMonitor implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(InterfaceMonitor.class);
  private static final String DATABASE = "Open_vSwitch";
  /** A local socket: a connect that fails costs microseconds, and a restarted ovsdb-server is back in ~0.1 s. */
  static final Duration RETRY_MIN = Duration.ofMillis(10);
  static final Duration RETRY_MAX = Duration.ofMillis(50);

  private final Path socket;
  private final Consumer<InterfaceEvent> events;
  private final Backoff backoff = new Backoff(RETRY_MIN, RETRY_MAX);
  private final CompletableFuture<InterfaceEvent.Snapshot> first = new CompletableFuture<>();
  private final Object writing = new Object();
  private final Thread reader;
  /** The current connection, null between connections; written under {@link #writing}. */
  private volatile SocketChannel channel;
  /** The id of the monitor whose messages count (also its request's id); older ones' are stale. */
  private volatile long current;
  private long requests;
  private volatile boolean closed;
  /** Why the last connection failed or ended: what a start that timed out says. */
  private volatile String lastFailure;

  private InterfaceMonitor(Path socket, Consumer<InterfaceEvent> events) {
    this.socket = socket;
    this.events = events;
    this.reader = Thread.ofPlatform().daemon().name("ovsdb-monitor").unstarted(this::run);
  }

  /**
   * Connects to the ovsdb-server at {@code socket} and returns the first Snapshot, once it has
   * come (trying again until {@code timeout}); every later event goes to {@code events}, on the
   * monitor's thread.
   */
  public static Started start(Path socket, Duration timeout, Consumer<InterfaceEvent> events) throws IOException {
    InterfaceMonitor monitor = new InterfaceMonitor(socket, events);
    monitor.reader.start();
    try {
      return new Started(monitor, monitor.first.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
    } catch (TimeoutException e) {
      monitor.close();
      throw new IOException("no answer from ovsdb-server at " + socket + " in " + timeout.toSeconds() + " s"
          + (monitor.lastFailure == null ? "" : ": " + monitor.lastFailure));
    } catch (ExecutionException e) {
      monitor.close();
      throw new IOException("monitoring " + socket + " failed", e.getCause()); // never completed exceptionally
    } catch (InterruptedException e) {
      monitor.close();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while connecting to " + socket, e);
    }
  }

  /** A running monitor and the table as it first read it. */
  public record Started(InterfaceMonitor monitor, InterfaceEvent.Snapshot snapshot) {}

  /** Asks for the whole table again (a Snapshot follows); nothing when not connected, since connecting reads it all. */
  public void reread() {
    synchronized (writing) {
      SocketChannel ch = channel;
      if (ch == null) {
        return;
      }
      long stale = current;
      try {
        write(ch, request("monitor_cancel", ++requests, new JsonPrimitive(stale)));
        monitor(ch);
      } catch (IOException e) {
        // the reader finds the connection broken, says Lost, and connects again
      }
    }
  }

  private void run() {
    boolean inStep = false; // a Snapshot went out since the last Lost
    while (!closed) {
      try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
        synchronized (writing) {
          channel = ch;
          monitor(ch);
        }
        JsonReader in = new JsonReader(Channels.newReader(ch, StandardCharsets.UTF_8));
        in.setLenient(true); // one JSON value after another, with nothing between them
        while (true) {
          if (in.peek() == JsonToken.END_DOCUMENT) {
            throw new EOFException("ovsdb-server closed the connection");
          }
          InterfaceEvent event = message(ch, JsonParser.parseReader(in));
          if (event != null) {
            if (event instanceof InterfaceEvent.Snapshot s) {
              backoff.reset();
              inStep = true;
              if (!first.isDone()) {
                first.complete(s);
                continue;
              }
            }
            events.accept(event);
          }
        }
      } catch (IOException | RuntimeException e) {
        // Whatever went wrong, the thread goes on: a monitor that stopped would leave the agent
        // reporting a list that no longer changes.
        synchronized (writing) {
          channel = null;
        }
        if (closed) {
          return;
        }
        String why = e.getMessage() == null ? e.toString() : e.getMessage();
        lastFailure = why;
        if (inStep) {
          inStep = false;
          events.accept(new InterfaceEvent.Lost(why));
        } else {
          log.debug("ovsdb-server at {}: {}", socket, why);
        }
        try {
          Thread.sleep(backoff.next());
        } catch (InterruptedException interrupted) {
          return; // closed
        }
      }
    }
  }

  /** What one message from ovsdb-server means: an event, or null for replies and notifications of no interest. */
  private InterfaceEvent message(SocketChannel ch, JsonElement message) throws IOException {
    if (!message.isJsonObject()) {
      throw new IllegalArgumentException("expected a JSON-RPC object, got " + message);
    }
    JsonObject m = message.getAsJsonObject();
    JsonElement method = m.get("method");
    if (method != null && !method.isJsonNull()) {
      JsonArray params = m.has("params") && m.get("params").isJsonArray() ? m.getAsJsonArray("params") : new JsonArray();
      switch (method.getAsString()) {
        case "update" -> {
          if (params.size() != 2) {
            throw new IllegalArgumentException("update: expected [monitor id, table-updates], got " + params);
          }
          return isCurrent(params.get(0)) ? InterfaceRows.changes(params.get(1)) : null;
        }
        case "echo" -> {
          // ovsdb-server's keep-alive: answered with what it sent
          JsonObject reply = new JsonObject();
          reply.add("id", m.get("id"));
          reply.add("result", params);
          reply.add("error", JsonNull.INSTANCE);
          synchronized (writing) {
            write(ch, reply);
          }
          return null;
        }
        default -> {
          return null; // e.g. "locked", "stolen": nothing to do with this monitor
        }
      }
    }
    if (!isCurrent(m.get("id"))) {
      return null; // a monitor_cancel's reply, or an older monitor's
    }
    JsonElement error = m.get("error");
    if (error != null && !error.isJsonNull()) {
      throw new IllegalStateException("ovsdb-server refused the monitor: " + error);
    }
    return InterfaceRows.snapshot(m.get("result"));
  }

  private boolean isCurrent(JsonElement id) {
    return id != null && id.isJsonPrimitive() && id.getAsJsonPrimitive().isNumber() && id.getAsLong() == current;
  }

  /** Starts a monitor with a new id; messages of older ones are ignored from now on. Under {@link #writing}. */
  private void monitor(SocketChannel ch) throws IOException {
    long id = ++requests;
    current = id;
    JsonObject what = new JsonObject();
    JsonArray columns = new JsonArray();
    InterfaceRows.COLUMNS.forEach(columns::add);
    what.add("columns", columns);
    JsonObject tables = new JsonObject();
    tables.add(InterfaceRows.TABLE, what);
    write(ch, request("monitor", id, new JsonPrimitive(DATABASE), new JsonPrimitive(id), tables));
  }

  private static JsonObject request(String method, long id, JsonElement... params) {
    JsonObject r = new JsonObject();
    r.addProperty("method", method);
    JsonArray p = new JsonArray();
    for (JsonElement e : params) {
      p.add(e);
    }
    r.add("params", p);
    r.addProperty("id", id);
    return r;
  }

  private static void write(SocketChannel ch, JsonObject message) throws IOException {
    // Straight to the channel: a stream from Channels.newOutputStream would wait for the lock
    // the reader's blocked read holds.
    ByteBuffer bytes = ByteBuffer.wrap(message.toString().getBytes(StandardCharsets.UTF_8));
    while (bytes.hasRemaining()) {
      ch.write(bytes);
    }
  }

  /** Stops the thread and closes the connection; no event follows. */
  @Override
  public void close() {
    closed = true;
    synchronized (writing) {
      SocketChannel ch = channel;
      if (ch != null) {
        try {
          ch.close(); // the reader's blocked read ends
        } catch (IOException ignored) {
          // closed either way
        }
      }
    }
    reader.interrupt(); // or its backoff sleep
    try {
      reader.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
