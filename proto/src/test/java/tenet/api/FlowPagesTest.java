package tenet.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import tenet.agent.v1.Flow;
import tenet.agent.v1.FlowUpdate;

class FlowPagesTest {
  private static final FlowUpdate HEADER = FlowUpdate.newBuilder().setVersion(7).setFull(false).setBaseVersion(6)
      .setController("c1").build();

  @Test
  void pagesCarryTheHeaderAndTheFlowsInOrderWithMoreOnAllButTheLast() {
    List<Flow> add = flows(1, 5);
    List<Flow> remove = flows(100, 2);
    List<FlowUpdate> pages = new ArrayList<>();
    FlowPages.send(HEADER, add, remove, Function.identity(), 1, 3, pages::add);

    assertThat(pages).extracting(p -> p.getAddCount() + p.getRemoveCount()).containsExactly(1, 3, 3);
    assertThat(pages).extracting(FlowUpdate::getMore).containsExactly(true, true, false);
    assertThat(pages).allSatisfy(p -> {
      assertThat(p.getVersion()).isEqualTo(7);
      assertThat(p.getBaseVersion()).isEqualTo(6);
      assertThat(p.getFull()).isFalse();
      assertThat(p.getController()).isEqualTo("c1");
      assertThat(p.getAddCount() + p.getRemoveCount()).isLessThanOrEqualTo(3);
    });
    assertThat(pages.stream().flatMap(p -> p.getAddList().stream())).containsExactlyElementsOf(add);
    assertThat(pages.stream().flatMap(p -> p.getRemoveList().stream())).containsExactlyElementsOf(remove);
  }

  @Test
  void anEmptyUpdateIsOneLastPage() {
    List<FlowUpdate> pages = new ArrayList<>();
    FlowPages.send(HEADER.toBuilder().setFull(true).build(), List.<Flow>of(), List.of(), Function.identity(), 3, 3, pages::add);
    assertThat(pages).singleElement().satisfies(p -> {
      assertThat(p.getMore()).isFalse();
      assertThat(p.getFull()).isTrue();
      assertThat(p.getAddCount()).isZero();
    });
  }

  @Test
  void rulesAreConvertedOnlyAsTheirPageIsMade() {
    List<Integer> converted = new ArrayList<>();
    List<Integer> convertedWhenFirstSent = new ArrayList<>();
    FlowPages.send(HEADER, List.of(1, 2, 3, 4), List.of(), r -> {
      converted.add(r);
      return Flow.newBuilder().setCookie(r).build();
    }, 2, 2, page -> {
      if (convertedWhenFirstSent.isEmpty()) {
        convertedWhenFirstSent.addAll(converted);
      }
    });
    assertThat(convertedWhenFirstSent).containsExactly(1, 2);
    assertThat(converted).containsExactly(1, 2, 3, 4);
  }

  @Test
  void byDefaultTheFirstPageIsSmall() {
    List<FlowUpdate> pages = new ArrayList<>();
    FlowPages.send(HEADER, flows(1, 2500), List.of(), Function.identity(), pages::add);
    assertThat(pages).extracting(FlowUpdate::getAddCount).containsExactly(FlowPages.FIRST_FLOWS, FlowPages.FLOWS,
        FlowPages.FLOWS, 2500 - FlowPages.FIRST_FLOWS - 2 * FlowPages.FLOWS);
  }

  @Test
  void theHeadersOwnFlowsAreNotSentAgain() {
    List<FlowUpdate> pages = new ArrayList<>();
    FlowPages.send(HEADER.toBuilder().addAllAdd(flows(1, 2)).setMore(true).build(), flows(10, 1), List.of(),
        Function.identity(), pages::add);
    assertThat(pages).singleElement().satisfies(p -> {
      assertThat(p.getAddList()).containsExactlyElementsOf(flows(10, 1));
      assertThat(p.getMore()).isFalse();
    });
  }

  @Test
  void aPageHoldsAtLeastOneFlow() {
    assertThatThrownBy(() -> FlowPages.send(HEADER, flows(1, 1), List.of(), Function.identity(), 0, 3, p -> {}))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FlowPages.send(HEADER, flows(1, 1), List.of(), Function.identity(), 3, 0, p -> {}))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static List<Flow> flows(int first, int n) {
    return IntStream.range(first, first + n).mapToObj(i -> Flow.newBuilder().setCookie(i).setTable(0).setPriority(100)
        .setMatch("in_port=" + i).setActions("drop").build()).toList();
  }
}
