package tenet.agent.flows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import tenet.agent.v1.Flow;

class FlowLinesTest {
  @Test
  void aFlowIsOneAddLineAndAPageIsThoseLinesInOneBlock() {
    Flow a = Flow.newBuilder().setCookie(0x1c0ffee).setTable(8).setPriority(100).setMatch("metadata=1,reg14=3,ip")
        .setActions("resubmit(,9)").build();
    Flow b = Flow.newBuilder().setCookie(0xffffff0000000001L).setTable(0).setPriority(0).setActions("drop").build();
    assertThat(FlowLines.add(a)).isEqualTo("add cookie=0x1c0ffee,table=8,priority=100,metadata=1,reg14=3,ip actions=resubmit(,9)");
    assertThat(FlowLines.add(b)).as("no match: no comma; a cookie with its top bit set is unsigned")
        .isEqualTo("add cookie=0xffffff0000000001,table=0,priority=0 actions=drop");

    LineBuffer block = new LineBuffer(8);
    FlowLines.appendAdd(a, block);
    FlowLines.appendAdd(b, block);
    FlowLines.appendDelete(0xd, block);
    assertThat(block.toString()).isEqualTo(String.join("\n", FlowLines.add(a), FlowLines.add(b),
        FlowLines.delete(0xd)) + "\n");
  }

  @Test
  void numbersAreWrittenAsJavaWritesThem() {
    for (long v : List.of(0L, 1L, 15L, 16L, 0xabcdefL, Long.MAX_VALUE, Long.MIN_VALUE, -1L)) {
      assertThat(new LineBuffer(1).hex(v).toString()).isEqualTo(Long.toHexString(v));
    }
    for (int v : List.of(0, 9, 10, 99, 100, 65535, Integer.MAX_VALUE, -1, Integer.MIN_VALUE)) {
      assertThat(new LineBuffer(1).decimal(v).toString()).isEqualTo(Integer.toString(v));
    }
  }

  @Test
  void textIsUtf8() {
    assertThat(new LineBuffer(1).text("in_port=1,nw_src=10.0.0.1").toString()).isEqualTo("in_port=1,nw_src=10.0.0.1");
    LineBuffer unicode = new LineBuffer(1).text("note:ĭ");
    assertThat(unicode.length()).isEqualTo(7);
    assertThat(unicode.toString()).isEqualTo("note:ĭ");
    assertThatThrownBy(() -> new LineBuffer(1).ascii('ĭ')).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aClearedBufferStartsAgainWithItsRoom() {
    LineBuffer lines = new LineBuffer(4).text("a long first page");
    int room = lines.array().length;
    assertThat(lines.clear().isEmpty()).isTrue();
    assertThat(lines.text("next").toString()).isEqualTo("next");
    assertThat(lines.array().length).isEqualTo(room);
  }
}
