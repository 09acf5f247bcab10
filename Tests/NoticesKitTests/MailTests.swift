import Foundation
import Testing
import TestSupport
@testable import NoticesKit

@Suite struct MailTests {
    @Test func encodedWordsAndQuotedPrintable() {
        #expect(Mail.encodeHeaderText("Zürich — Wartung") == "=?utf-8?b?WsO8cmljaCDigJQgV2FydHVuZw==?=")
        #expect(MailAddress.encode(Mailbox(name: "Ærø Fiber", address: "noc@x")) == "=?utf-8?b?w4Zyw7ggRmliZXI=?= <noc@x>")
        #expect(Mail.quotedPrintable("a=b é\r\nx ") == "a=3Db =C3=A9\r\nx=20")
    }
}
