package tenet.agent.ovs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonParser;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tenet.agent.vifs.InterfaceEvent;
import tenet.agent.vifs.OvsInterface;

/** ovsdb-server's table-updates, as it sends them (these were captured from ovsdb-server 3.1). */
class InterfaceRowsTest {
  @Test
  void aMonitorsReplyIsEveryRowWithOrWithoutAnOfport() {
    InterfaceEvent.Snapshot s = InterfaceRows.snapshot(JsonParser.parseString("""
        {"Interface":{
          "92fe2590-777c-4474-bd74-cce966a1f609":{"new":{"name":"br0","ofport":65534,"external_ids":["map",[]]}},
          "0787e54f-9e19-499d-b35b-42599d51c66d":{"new":{"name":"p1","ofport":["set",[]],
              "external_ids":["map",[["attached-mac","02:00:00:00:00:01"],["iface-id","a/b"]]]}}}}"""));
    assertThat(s.rows()).isEqualTo(Map.of(
        "92fe2590-777c-4474-bd74-cce966a1f609", new OvsInterface("br0", 65534, ""),
        "0787e54f-9e19-499d-b35b-42599d51c66d", new OvsInterface("p1", OvsInterface.NO_OFPORT, "a/b")));
  }

  @Test
  void anEmptyTableIsAnEmptyReply() {
    assertThat(InterfaceRows.snapshot(JsonParser.parseString("{}")).rows()).isEmpty();
  }

  @Test
  void anUpdateCarriesWholeNewRowsAndDeletions() {
    InterfaceEvent.Changes c = InterfaceRows.changes(JsonParser.parseString("""
        {"Interface":{
          "0787e54f":{"new":{"name":"p1","ofport":7,"external_ids":["map",[["iface-id","a/b"]]]},"old":{"ofport":["set",[]]}},
          "11111111":{"old":{"name":"p2","ofport":8,"external_ids":["map",[["iface-id","a/c"]]]}},
          "22222222":{"new":{"name":"p3","ofport":["set",[9]],"external_ids":["map",[]]}}}}"""));
    assertThat(c.updated()).isEqualTo(Map.of("0787e54f", new OvsInterface("p1", 7, "a/b"),
        "22222222", new OvsInterface("p3", 9, "")));
    assertThat(c.deleted()).isEqualTo(Set.of("11111111"));
  }

  @Test
  void anUpdateOfOtherTablesOnlyChangesNothing() {
    InterfaceEvent.Changes c = InterfaceRows.changes(JsonParser.parseString("{\"Bridge\":{}}"));
    assertThat(c.updated()).isEmpty();
    assertThat(c.deleted()).isEmpty();
  }

  @Test
  void malformedRowsNameTheRowAndTheColumn() {
    assertThatThrownBy(() -> InterfaceRows.changes(JsonParser.parseString("""
        {"Interface":{"u1":{"new":{"name":"p1","ofport":"seven","external_ids":["map",[]]}}}}""")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Interface row u1: ofport");
    assertThatThrownBy(() -> InterfaceRows.changes(JsonParser.parseString("""
        {"Interface":{"u1":{"new":{"name":"p1","ofport":1,"external_ids":{"iface-id":"a/b"}}}}}""")))
        .hasMessageContaining("Interface row u1: external_ids");
    assertThatThrownBy(() -> InterfaceRows.changes(JsonParser.parseString("""
        {"Interface":{"u1":{"new":{"ofport":1,"external_ids":["map",[]]}}}}""")))
        .hasMessageContaining("Interface row u1: name");
    assertThatThrownBy(() -> InterfaceRows.changes(JsonParser.parseString("[1]")))
        .hasMessageContaining("table-updates");
    assertThatThrownBy(() -> InterfaceRows.snapshot(JsonParser.parseString("""
        {"Interface":{"u1":{"old":{"name":"p1","ofport":1,"external_ids":["map",[]]}}}}""")))
        .hasMessageContaining("deletes rows [u1]");
  }
}
