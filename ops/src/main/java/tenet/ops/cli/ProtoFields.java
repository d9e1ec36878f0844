package tenet.ops.cli;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import java.math.BigInteger;
import java.util.Optional;
import java.util.stream.Collectors;

/** Field lookup and value checks shared by --set and topology files. */
public final class ProtoFields {
  private static final BigInteger INT32_MIN = BigInteger.valueOf(Integer.MIN_VALUE);
  private static final BigInteger INT32_MAX = BigInteger.valueOf(Integer.MAX_VALUE);
  private static final BigInteger INT64_MIN = BigInteger.valueOf(Long.MIN_VALUE);
  private static final BigInteger INT64_MAX = BigInteger.valueOf(Long.MAX_VALUE);
  private static final BigInteger UINT32_MAX = BigInteger.ONE.shiftLeft(32).subtract(BigInteger.ONE);
  private static final BigInteger UINT64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

  private ProtoFields() {}

  /** By proto JSON name ("tunnelIp") or proto name ("tunnel_ip"), as JsonFormat accepts both. */
  public static Optional<FieldDescriptor> find(Descriptor type, String name) {
    for (FieldDescriptor f : type.getFields()) {
      if (f.getJsonName().equals(name) || f.getName().equals(name)) {
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }

  /**
   * Why {@code text} cannot be a value of the scalar or enum field, naming the field and what it
   * takes; JsonFormat would say only "Not an uint32 value" without the field. Empty when fine.
   */
  public static Optional<String> scalarProblem(FieldDescriptor field, String text) {
    String name = "\"" + field.getJsonName() + "\"";
    return switch (field.getType()) {
      case STRING, BYTES, MESSAGE, GROUP -> Optional.empty();
      case BOOL -> text.equals("true") || text.equals("false") ? Optional.empty()
          : Optional.of(name + " must be true or false, not \"" + text + "\"");
      case ENUM -> {
        EnumDescriptor type = field.getEnumType();
        yield type.findValueByName(text) != null || text.matches("-?\\d+") ? Optional.empty()
            : Optional.of(name + " must be one of " + enumNames(type) + ", not \"" + text + "\"");
      }
      case FLOAT, DOUBLE -> {
        try {
          Double.parseDouble(text);
          yield Optional.empty();
        } catch (NumberFormatException e) {
          yield Optional.of(name + " must be a number, not \"" + text + "\"");
        }
      }
      case INT32, SINT32, SFIXED32 -> integer(name, text, INT32_MIN, INT32_MAX);
      case INT64, SINT64, SFIXED64 -> integer(name, text, INT64_MIN, INT64_MAX);
      case UINT32, FIXED32 -> integer(name, text, BigInteger.ZERO, UINT32_MAX);
      case UINT64, FIXED64 -> integer(name, text, BigInteger.ZERO, UINT64_MAX);
    };
  }

  private static Optional<String> integer(String name, String text, BigInteger min, BigInteger max) {
    BigInteger n;
    try {
      n = new BigInteger(text);
    } catch (NumberFormatException e) {
      return Optional.of(name + " must be a whole number, not \"" + text + "\"");
    }
    if (n.compareTo(min) < 0 || n.compareTo(max) > 0) {
      return Optional.of(name + " must be between " + min + " and " + max + ", not " + text);
    }
    return Optional.empty();
  }

  private static String enumNames(EnumDescriptor type) {
    return type.getValues().stream()
        .map(EnumValueDescriptor::getName)
        .collect(Collectors.joining(", "));
  }
}
