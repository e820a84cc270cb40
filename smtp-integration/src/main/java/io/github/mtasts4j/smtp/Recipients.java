package io.github.mtasts4j.smtp;

import io.github.mtasts4j.DomainName;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads and groups recipient addresses. */
final class Recipients {
  private Recipients() {}

  static List<InternetAddress> of(MimeMessage message) {
    Address[] all;
    try {
      all = message.getAllRecipients();
    } catch (MessagingException e) {
      throw new IllegalArgumentException("cannot read the message's recipients: " + e.getMessage(), e);
    }
    if (all == null || all.length == 0) {
      throw new IllegalArgumentException("the message has no recipients");
    }
    List<InternetAddress> out = new ArrayList<>();
    for (Address a : all) {
      if (!(a instanceof InternetAddress ia)) {
        throw new IllegalArgumentException("not an Internet mail address: " + a);
      }
      out.add(ia);
    }
    return out;
  }

  /** Groups by domain, keeping first-seen order (STS-70: one policy per next-hop domain). */
  static Map<DomainName, List<InternetAddress>> byDomain(Collection<InternetAddress> recipients) {
    if (recipients.isEmpty()) {
      throw new IllegalArgumentException("no recipients");
    }
    Map<DomainName, List<InternetAddress>> groups = new LinkedHashMap<>();
    for (InternetAddress r : recipients) {
      DomainName domain = domainOf(r);
      groups.computeIfAbsent(domain, d -> new ArrayList<>()).add(withALabelDomain(r, domain));
    }
    return groups;
  }

  /**
   * The address with an internationalised domain in A-label form, as the SMTP envelope needs
   * without SMTPUTF8; other addresses are returned as they are.
   */
  static InternetAddress withALabelDomain(InternetAddress address, DomainName domain) {
    String a = address.getAddress();
    int at = a.lastIndexOf('@');
    String written = a.substring(at + 1);
    if (written.chars().allMatch(c -> c < 0x80)) {
      return address;
    }
    InternetAddress converted = new InternetAddress();
    converted.setAddress(a.substring(0, at + 1) + domain.value());
    return converted;
  }

  static DomainName domainOf(InternetAddress address) {
    String a = address.getAddress();
    int at = a == null ? -1 : a.lastIndexOf('@');
    if (at < 0 || at == a.length() - 1) {
      throw new IllegalArgumentException("recipient has no domain: " + a);
    }
    String domain = a.substring(at + 1);
    if (domain.startsWith("[")) {
      throw new IllegalArgumentException(
          "address literals have no MTA-STS policy and are not supported: " + a);
    }
    return DomainName.of(domain);
  }
}
