package tenet.agent.sriov;

import java.util.Locale;
import java.util.regex.Pattern;

/** Ethernet addresses as {@code ip link} and OVS write them: six lower-case hex octets. */
public final class Mac {
  private static final Pattern FORMAT = Pattern.compile("[0-9a-f]{2}(:[0-9a-f]{2}){5}");

  private Mac() {}

  /** The address in canonical form, or why it cannot be a VF's address (named by {@code field}). */
  public static String unicast(String field, String text) {
    String mac = text.strip().toLowerCase(Locale.ROOT).replace('-', ':');
    if (!FORMAT.matcher(mac).matches()) {
      throw new SriovException(field, "'" + text + "' is not a MAC address (six hex octets, e.g. 02:00:00:00:00:01)");
    }
    if ((Integer.parseInt(mac.substring(0, 2), 16) & 1) != 0) {
      throw new SriovException(field, text + " is a multicast address (the first octet is odd); a VF needs a unicast MAC");
    }
    if (mac.equals("00:00:00:00:00:00")) {
      throw new SriovException(field, "00:00:00:00:00:00 is no address; a VF needs a unicast MAC");
    }
    return mac;
  }

  /** Canonical form of what a tool printed, or null when it is no MAC address. */
  public static String canonical(String text) {
    if (text == null) {
      return null;
    }
    String mac = text.strip().toLowerCase(Locale.ROOT);
    return FORMAT.matcher(mac).matches() ? mac : null;
  }
}
