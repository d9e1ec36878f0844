package tenet.agent.ovs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tenet.agent.vifs.InterfaceEvent;
import tenet.agent.vifs.InterfaceEvent.Changes;
import tenet.agent.vifs.InterfaceEvent.Lost;
import tenet.agent.vifs.InterfaceEvent.Snapshot;
import tenet.agent.vifs.OvsInterface;

/**
 * The monitor against a real (private) ovsdb-server and ovs-vswitchd. Nothing here re-reads on a
 * timer, so every change a test sees came as ovsdb-server's notification.
 */
class InterfaceMonitorTest {
  /** Far above the tens of milliseconds these take, so a loaded machine does not fail them; a poll of 1 s would. */
  private static final Duration SOON = Duration.ofMillis(900);
  private static PrivateSwitch ovs;
  private final BlockingQueue<Timed> events = new LinkedBlockingQueue<>();
  private InterfaceMonitor monitor;
  private int ports;

  private record Timed(long nanos, InterfaceEvent event) {}

  @BeforeAll
  static void start() throws IOException {
    ovs = PrivateSwitch.start();
    ovs.vsctl("add-br", "br-int", "--", "set", "bridge", "br-int", "datapath_type=netdev");
  }

  @AfterAll
  static void stop() throws IOException {
    if (ovs != null) {
      ovs.close();
    }
  }

  @AfterEach
  void closeMonitor() {
    if (monitor != null) {
      monitor.close();
    }
  }

  @Test
  void theFirstReadHoldsEveryInterfaceWithItsOfportAndIfaceId() throws IOException {
    String vm = plug("acme/web-1");
    Snapshot first = startMonitor();
    OvsInterface row = named(first.rows(), vm);
    assertThat(row.ifaceId()).isEqualTo("acme/web-1");
    assertThat(row.ofport()).isPositive();
    assertThat(first.rows().values()).anyMatch(r -> r.name().equals("br-int") && r.ifaceId().isEmpty());
    assertThat(events).as("the first read is returned, not sent").isEmpty();
  }

  @Test
  void anAddedPortIsSeenWithItsOfportWithinMilliseconds() throws Exception {
    startMonitor();
    long t0 = System.nanoTime();
    String vm = plug("acme/web-2");
    Timed withOfport = await(e -> e instanceof Changes c && c.updated().values().stream()
        .anyMatch(r -> r.name().equals(vm) && r.ofport() > 0));
    long ms = TimeUnit.NANOSECONDS.toMillis(withOfport.nanos() - t0);
    System.err.println("InterfaceMonitorTest: add-port to its ofport's notification: " + ms + " ms");
    assertThat(ms).isLessThan(SOON.toMillis());
    // ovs-vsctl's transaction made the row, ovs-vswitchd's numbered it: two notifications, or one
    // when ovsdb-server sent both together. Never a number first and none after.
    assertThat(passedOver()).allMatch(e -> e instanceof Changes c && c.updated().values().stream()
        .allMatch(r -> !r.name().equals(vm) || r.ofport() == OvsInterface.NO_OFPORT));
  }

  @Test
  void aNewOfportAndADeletedPortAreSeen() throws Exception {
    String vm = plug("acme/db-1");
    startMonitor();
    ovs.vsctl("set", "interface", vm, "ofport_request=77");
    await(e -> e instanceof Changes c && c.updated().values().stream().anyMatch(r -> r.name().equals(vm) && r.ofport() == 77));
    long t0 = System.nanoTime();
    ovs.vsctl("del-port", "br-int", vm);
    Timed gone = await(e -> e instanceof Changes c && !c.deleted().isEmpty());
    assertThat(TimeUnit.NANOSECONDS.toMillis(gone.nanos() - t0)).isLessThan(SOON.toMillis());
  }

  @Test
  void aRestartedOvsdbServerIsLostOnceThenReadWholeAgain() throws Exception {
    String before = plug("acme/web-3");
    startMonitor();
    ovs.restartDatabase(Duration.ofMillis(300)); // the monitor tries to connect again meanwhile
    long up = System.nanoTime();
    Timed snapshot = await(e -> e instanceof Snapshot);
    System.err.println("InterfaceMonitorTest: ovsdb-server back to a new snapshot: "
        + TimeUnit.NANOSECONDS.toMillis(snapshot.nanos() - up) + " ms");
    List<InterfaceEvent> seen = passedOver();
    assertThat(seen).filteredOn(e -> e instanceof Lost).hasSize(1);
    assertThat(seen).noneMatch(e -> e instanceof Snapshot);
    assertThat(named(((Snapshot) snapshot.event()).rows(), before).ofport()).isPositive();
    assertThat(TimeUnit.NANOSECONDS.toMillis(snapshot.nanos() - up)).isLessThan(SOON.toMillis());

    // and it goes on with notifications on the new connection
    String after = plug("acme/web-4");
    await(e -> e instanceof Changes c && c.updated().values().stream().anyMatch(r -> r.name().equals(after) && r.ofport() > 0));
  }

  @Test
  void aRereadGivesTheWholeTableAgainAndNotificationsGoOn() throws Exception {
    String vm = plug("globex/www-1");
    startMonitor();
    monitor.reread();
    Timed again = await(e -> e instanceof Snapshot);
    assertThat(named(((Snapshot) again.event()).rows(), vm).ifaceId()).isEqualTo("globex/www-1");
    String next = plug("globex/www-2");
    await(e -> e instanceof Changes c && c.updated().values().stream().anyMatch(r -> r.name().equals(next) && r.ofport() > 0));
    String monitors = monitors();
    monitor.reread();
    monitor.reread(); // before the first one's answer, most likely: only the last one's counts
    await(e -> e instanceof Snapshot);
    assertThat(monitors()).as("each re-read cancels the monitor before").isEqualTo(monitors);
    ovs.vsctl("del-port", "br-int", next);
    Timed gone = await(e -> e instanceof Changes c && !c.deleted().isEmpty());
    assertThat(passedOver()).as("one monitor at a time: no change twice").noneMatch(e -> e instanceof Changes);
  }

  @Test
  void closeStopsItsThreadAndNothingFollows() throws Exception {
    startMonitor();
    monitor.close();
    assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("ovsdb-monitor") && t.isAlive());
    plug("acme/web-5");
    Thread.sleep(200);
    assertThat(events).isEmpty();
  }

  @Test
  void noOvsdbServerIsAnErrorNamingTheSocket() {
    Path nowhere = ovs.dir().resolve("nowhere.sock");
    assertThatThrownBy(() -> InterfaceMonitor.start(nowhere, Duration.ofMillis(300), e -> { }))
        .isInstanceOf(IOException.class).hasMessageContaining(nowhere.toString());
    assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("ovsdb-monitor") && t.isAlive());
  }

  /** ovsdb-server's count of monitors, from memory/show ("monitors:N"). */
  private static String monitors() throws IOException {
    String shown = ovs.run("ovs-appctl", "-t", ovs.dir().resolve("ovsdb-server.ctl").toString(), "memory/show");
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("monitors:(\\d+)").matcher(shown);
    assertThat(m.find()).as("monitors in " + shown).isTrue();
    return m.group(1);
  }

  private Snapshot startMonitor() throws IOException {
    InterfaceMonitor.Started started = InterfaceMonitor.start(ovs.dir().resolve("db.sock"), Duration.ofSeconds(10),
        e -> events.add(new Timed(System.nanoTime(), e)));
    monitor = started.monitor();
    return started.snapshot();
  }

  /** A VM's port (a netdev-dummy one: no kernel device needed), as a cloud plugs it in: one transaction. */
  private String plug(String ifaceId) throws IOException {
    String name = "vm" + (++ports) + "-" + ifaceId.replaceAll("[^a-z0-9]", "");
    ovs.vsctl("add-port", "br-int", name, "--", "set", "interface", name, "type=dummy",
        "external_ids:iface-id=" + ifaceId);
    return name;
  }

  private final List<InterfaceEvent> taken = new ArrayList<>();

  /** The first event (from now on) that matches, within 10 s; those before it are kept for {@link #seenBefore}. */
  private Timed await(Predicate<InterfaceEvent> what) throws InterruptedException {
    taken.clear();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      Timed t = events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      assertThat(t).as("an awaited event within 10 s; got " + taken).isNotNull();
      if (what.test(t.event())) {
        return t;
      }
      taken.add(t.event());
    }
  }

  /** The events the last {@link #await} passed over. */
  private List<InterfaceEvent> passedOver() {
    return List.copyOf(taken);
  }

  private static OvsInterface named(Map<String, OvsInterface> rows, String name) {
    return rows.values().stream().filter(r -> r.name().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no interface " + name + " in " + rows.values()));
  }
}
