package tenet.ops.cli;

import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tenet.api.v1.ObjectRef;

/**
 * A refused transaction, with the object each op was for: the server names fields "ops[3].mac",
 * which means nothing to someone who wrote a topology file.
 */
final class TxnRejected extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private static final Pattern OP = Pattern.compile("^ops\\[(\\d+)]\\.?(.*)$");

  private final transient List<ObjectRef> opRefs;

  TxnRejected(StatusRuntimeException cause, List<ObjectRef> opRefs) {
    super(cause.getMessage(), cause);
    this.opRefs = List.copyOf(opRefs);
  }

  StatusRuntimeException status() {
    return (StatusRuntimeException) getCause();
  }

  /** "ops[3].logical_switch_port.mac" becomes "logical-switch-port acme/web-1: logical_switch_port.mac". */
  UnaryOperator<String> fieldNames() {
    return field -> {
      Matcher m = OP.matcher(field);
      if (!m.matches()) {
        return field;
      }
      int i = Integer.parseInt(m.group(1));
      if (i >= opRefs.size()) {
        return field;
      }
      String object = ObjectRefs.describe(opRefs.get(i));
      return m.group(2).isEmpty() ? object : object + ": " + m.group(2);
    };
  }
}
