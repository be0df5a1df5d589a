public import Foundation

/// GeneralizedTime values as the schema stores dates (RFC 4517 §3.3.13),
/// always written in UTC with seconds: `YYYYMMDDHHMMSSZ`.
public enum GeneralizedTime {
    public static func string(_ date: Date) -> String {
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(
            format: "%04d%02d%02d%02d%02d%02dZ",
            c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0, c.second ?? 0)
    }

    /// Parses `YYYYMMDDHH[MM[SS]][.fraction]Z`; nil if it is not one.
    public static func date(_ text: String) -> Date? {
        let digits = Array(text.utf8)
        guard digits.count >= 11, digits.last == UInt8(ascii: "Z") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= digits.count - 1 else { return nil }
            var value = 0
            for byte in digits[range] {
                guard byte >= 0x30 && byte <= 0x39 else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            return value
        }
        guard let year = number(0..<4), let month = number(4..<6), let day = number(6..<8), let hour = number(8..<10) else { return nil }
        let minute = number(10..<12) ?? 0
        let second = number(12..<14) ?? 0
        var components = DateComponents()
        (components.year, components.month, components.day) = (year, month, day)
        (components.hour, components.minute, components.second) = (hour, minute, second)
        guard (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61,
              let date = calendar.date(from: components),
              calendar.component(.day, from: date) == day
        else { return nil }
        return date
    }

    /// The start of the day (UTC) of `date`: "today" for a default open date (R2, R4).
    public static func startOfDay(_ date: Date) -> Date {
        calendar.startOfDay(for: date)
    }

    private static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? TimeZone(secondsFromGMT: 0) ?? .current
        return calendar
    }()
}
