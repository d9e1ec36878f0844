package tenet.compiler.specialize;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Values of the reference implementation (libxxhash 0.8, XXH64): every length class of the algorithm. */
class Xxh64Test {
  @Test
  void matchesTheReferenceImplementation() {
    assertThat(Xxh64.hash(bytes(""), 0)).isEqualTo(0xef46db3751d8e999L);
    assertThat(Xxh64.hash(bytes("a"), 0)).isEqualTo(0xd24ec4f1a98c6e5bL);
    assertThat(Xxh64.hash(bytes("abc"), 0)).isEqualTo(0x44bc2cf5ad770999L);
    assertThat(Xxh64.hash(bytes("0123456789abcdef0123456789abcdefXYZ"), 0)).isEqualTo(0x654f6a2b39e4d8c1L);
    assertThat(Xxh64.hash(bytes("x".repeat(100)), 0)).isEqualTo(0x92f0de5a88a3c094L);
  }

  @Test
  void takesTheSeed() {
    assertThat(Xxh64.hash(bytes("metadata=7,in_port=1"), 0x800000064L)).isEqualTo(0x37de0b9be09dfbd6L);
    assertThat(Xxh64.hash(bytes("abcdefg"), 12345)).isEqualTo(0xd29fe165c829dafcL);
    assertThat(Xxh64.hash(bytes("y".repeat(37)), -5)).isEqualTo(0x998a5d2535ccc2c5L);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
