package tenet.southbound;

import java.util.List;
import tenet.compiler.specialize.OpenFlowRule;

/**
 * A chassis' whole flow set as this node's compiler had it at {@code revision}: the shared,
 * immutable lists it is made of ({@code IncrementalSpecializer.pieces}), not a copy.
 */
public record FlowSource(long revision, List<List<OpenFlowRule>> pieces) {
  public FlowSource {
    pieces = List.copyOf(pieces);
  }

  public long size() {
    long n = 0;
    for (List<OpenFlowRule> p : pieces) {
      n += p.size();
    }
    return n;
  }

  /** The datapaths of the chassis' span: each gives two pieces, after the table defaults. */
  public int datapaths() {
    return Math.max(0, (pieces.size() - 1) / 2);
  }
}
