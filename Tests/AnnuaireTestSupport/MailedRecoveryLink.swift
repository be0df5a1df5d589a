import Foundation

/// R6's password recovery as a person meets it: the link and the code read
/// from the last recovery mail delivered to an address.
extension TestServer {
    /// The link (`…/mot-de-passe/nouveau#TOKEN`) and the token in the last recovery mail to `address`.
    public func mailedRecoveryLink(to address: String) throws -> (link: String, token: String) {
        guard let mail = try maildir.delivered().last(where: { $0.contains("To: \(address)") && $0.contains("/mot-de-passe/nouveau#") }) else {
            throw EmbeddedSlapdTestError("no recovery link was mailed to \(address)")
        }
        guard let line = mail.split(separator: "\r\n").first(where: { $0.contains("/mot-de-passe/nouveau#") }),
              let token = line.split(separator: "#").last
        else {
            throw EmbeddedSlapdTestError("the mail to \(address) has no recovery link line")
        }
        return (line.trimmingCharacters(in: .whitespaces), String(token).trimmingCharacters(in: .whitespaces))
    }

    /// The recovery mails delivered to `address` so far.
    public func recoveryMailCount(to address: String) throws -> Int {
        try maildir.delivered().filter { $0.contains("To: \(address)") && $0.contains("/mot-de-passe/nouveau#") }.count
    }

    /// Waits (up to `seconds`) until `condition` holds, polling every 20 ms; returns whether it did.
    public static func eventually(seconds: Double = 30, _ condition: () throws -> Bool) async rethrows -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return try condition()
    }
}

extension TestServer {
    /// Waits until the forgot-password requests answered so far have done their look-up and mail.
    public func recoveryWorkDone(seconds: Double = 30) async -> Bool {
        await Self.eventually(seconds: seconds) { forgotPassword.work.running == 0 }
    }
}
