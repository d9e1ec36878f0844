package tenet.store.ratis;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.Code;
import com.google.rpc.Status;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tenet.store.wire.BatchReply;
import tenet.store.wire.WriteReply;

/** Builds a batch's reply, and carries one through the exception text of a refused request. */
final class BatchReplies {
  // Ratis hands a leader's pre-log refusal back only as exception text: the reply rides in it.
  private static final Pattern EMBEDDED = Pattern.compile("tenet-batch:([A-Za-z0-9_-]+)");
  private static final WriteReply RETRY = WriteReply.newBuilder().setError(Status.newBuilder()
      .setCode(Code.UNAVAILABLE_VALUE)
      .setMessage("the store's leader changed while this write was refused; retry it")).build();

  private BatchReplies() {}

  /** One reply per slot: applied ones, then the leader's refusals, else "retry". */
  static BatchReply merge(int slots, Map<Integer, WriteReply> refusals, Map<Integer, WriteReply> applied) {
    BatchReply.Builder out = BatchReply.newBuilder();
    for (int slot = 0; slot < slots; slot++) {
      WriteReply reply = applied.get(slot);
      if (reply == null) {
        reply = refusals.getOrDefault(slot, RETRY);
      }
      out.addReplies(reply);
    }
    return out.build();
  }

  static String embed(BatchReply reply) {
    return "tenet-batch:" + Base64.getUrlEncoder().withoutPadding().encodeToString(reply.toByteArray());
  }

  static Optional<BatchReply> extract(String text) {
    if (text == null) {
      return Optional.empty();
    }
    Matcher m = EMBEDDED.matcher(text);
    if (!m.find()) {
      return Optional.empty();
    }
    try {
      return Optional.of(BatchReply.parseFrom(Base64.getUrlDecoder().decode(m.group(1))));
    } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
