import Foundation
import Messages
import Habilitations

/// Times shown in the reader's time zone with the zone marked (R11's
/// "when"): `25/08/2021 16:03:07 (Europe/Paris)`. The directory stores UTC.
struct ReaderTime {
    var zone: TimeZone
    var zoneName: String

    /// `--time-zone`, else `TZ` when it names a zone, else Europe/Paris.
    init(explicit: String?, environment: [String: String]) throws {
        let requested = explicit ?? environment["TZ"].map { $0.hasPrefix(":") ? String($0.dropFirst()) : $0 }
        if let requested, let zone = TimeZone(identifier: requested) {
            self.zone = zone
            zoneName = requested
        } else if let explicit {
            throw CLIError.usage(CLIContext.texts(.errorTimeZone, ("zone", explicit)))
        } else {
            zone = TimeZone(identifier: "Europe/Paris") ?? TimeZone(secondsFromGMT: 3600) ?? .current
            zoneName = "Europe/Paris"
        }
    }

    /// `25/08/2021 16:03:07 (Europe/Paris)` from `20210825140307Z`; the input when it is not a time.
    func display(_ generalized: String) -> String {
        guard let date = GeneralizedTime.date(generalized) else { return generalized }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%02d/%02d/%04d %02d:%02d:%02d", c.day ?? 0, c.month ?? 0, c.year ?? 0, c.hour ?? 0, c.minute ?? 0, c.second ?? 0)
            + " (\(zoneName))"
    }
}
