package tenet.ops.cli;

import picocli.CommandLine;

/** Lets picocli report a wrong kind as a usage error with the list of kinds. */
final class KindConverter implements CommandLine.ITypeConverter<ResourceKind> {
  @Override
  public ResourceKind convert(String value) {
    try {
      return ResourceKind.parse(value);
    } catch (UsageException e) {
      throw new CommandLine.TypeConversionException(e.getMessage());
    }
  }
}
