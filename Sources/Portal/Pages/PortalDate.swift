import Foundation

/// Dates as the portal shows and reads them (jj/mm/aaaa) and as the
/// directory holds them (GeneralizedTime, RFC 4517 §3.3.13, UTC midnight).
enum PortalDate {
    /// "20210720000000Z" → "20/07/2021"; anything else as it is.
    static func display(_ generalized: String) -> String {
        let digits = Array(generalized)
        guard digits.count >= 8, digits[0..<8].allSatisfy(\.isNumber) else { return generalized }
        return "\(String(digits[6..<8]))/\(String(digits[4..<6]))/\(String(digits[0..<4]))"
    }

    /// Today at midnight UTC, as GeneralizedTime.
    static func today(_ date: Date = Date()) -> String {
        String(now(date).prefix(8)) + "000000Z"
    }

    /// This instant, as GeneralizedTime (UTC, to the second).
    static func now(_ date: Date = Date()) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d%02d%02d%02d%02d%02dZ", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0, c.second ?? 0)
    }

    /// "20/07/2021" (or "2021-07-20") → "20210720000000Z"; nil when it is not a date.
    static func generalized(_ typed: String) -> String? {
        let parts: [Substring]
        let day: Substring, month: Substring, year: Substring
        if typed.contains("/") {
            parts = typed.split(separator: "/")
            guard parts.count == 3 else { return nil }
            (day, month, year) = (parts[0], parts[1], parts[2])
        } else {
            parts = typed.split(separator: "-")
            guard parts.count == 3 else { return nil }
            (year, month, day) = (parts[0], parts[1], parts[2])
        }
        guard let d = Int(day), let m = Int(month), let y = Int(year), (1...31).contains(d), (1...12).contains(m), (1900...9999).contains(y) else {
            return nil
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
        guard let date = calendar.date(from: DateComponents(year: y, month: m, day: d)),
              calendar.component(.day, from: date) == d else { return nil }
        return String(format: "%04d%02d%02d000000Z", y, m, d)
    }

    /// "20210720143005Z" → "20/07/2021 16:30:05" in Paris time (the portal's readers' zone, named in the
    /// column's heading); anything else as `display` shows it.
    static func displayTime(_ generalized: String) -> String {
        let digits = Array(generalized)
        guard digits.count >= 15, digits[0..<14].allSatisfy(\.isNumber), generalized.hasSuffix("Z"),
              let year = Int(String(digits[0..<4])), let month = Int(String(digits[4..<6])), let day = Int(String(digits[6..<8])),
              let hour = Int(String(digits[8..<10])), let minute = Int(String(digits[10..<12])), let second = Int(String(digits[12..<14]))
        else { return display(generalized) }
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "UTC") ?? .current
        guard let instant = utc.date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second)) else {
            return display(generalized)
        }
        let zone = TimeZone(identifier: "Europe/Paris") ?? utc.timeZone
        var local = Calendar(identifier: .gregorian)
        local.timeZone = zone
        let c = local.dateComponents([.year, .month, .day, .hour, .minute, .second], from: instant)
        return String(format: "%02d/%02d/%04d %02d:%02d:%02d", c.day ?? 0, c.month ?? 0, c.year ?? 0, c.hour ?? 0, c.minute ?? 0, c.second ?? 0)
    }
}
