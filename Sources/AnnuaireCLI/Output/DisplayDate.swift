import Foundation
import Habilitations
import Messages

/// Dates as the directory stores them (GeneralizedTime, `20210825000000Z`),
/// as the portal shows them (`25/08/2021`) and as scripts want them (`2021-08-25`).
enum DisplayDate {
    /// `25/08/2021` from `20210825000000Z`; the input itself if it is not a date.
    static func portal(_ generalized: String?) -> String {
        guard let (year, month, day) = parts(generalized) else { return generalized ?? "" }
        return "\(day)/\(month)/\(year)"
    }

    /// `25/08/2021 14:03:07` (UTC) from `20210825140307Z`.
    static func portalTime(_ generalized: String?) -> String {
        guard let generalized, generalized.count >= 14, generalized.prefix(14).allSatisfy(\.isNumber) else { return portal(generalized) }
        let digits = Array(generalized)
        return portal(generalized) + " \(String(digits[8..<10])):\(String(digits[10..<12])):\(String(digits[12..<14]))"
    }

    /// `2021-08-25` from `20210825000000Z`.
    static func iso(_ generalized: String?) -> String {
        guard let (year, month, day) = parts(generalized) else { return generalized ?? "" }
        return "\(year)-\(month)-\(day)"
    }

    private static func parts(_ generalized: String?) -> (String, String, String)? {
        guard let generalized, generalized.count >= 8, generalized.prefix(8).allSatisfy(\.isNumber) else { return nil }
        let digits = Array(generalized.prefix(8))
        return (String(digits[0..<4]), String(digits[4..<6]), String(digits[6..<8]))
    }

    /// GeneralizedTime from what a user types: `25/08/2021`, `2021-08-25`,
    /// `20210825`, `today` (or `aujourd'hui`), or GeneralizedTime itself.
    static func parse(_ text: String) throws -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if ["today", "aujourdhui", "aujourd'hui", "aujourd’hui"].contains(trimmed.lowercased()) { return today() }
        var year = "", month = "", day = ""
        let slashed = trimmed.split(separator: "/")
        let dashed = trimmed.split(separator: "-")
        if slashed.count == 3 {
            (day, month, year) = (String(slashed[0]), String(slashed[1]), String(slashed[2]))
        } else if dashed.count == 3 {
            (year, month, day) = (String(dashed[0]), String(dashed[1]), String(dashed[2]))
        } else if trimmed.count >= 8, trimmed.prefix(8).allSatisfy(\.isNumber) {
            if trimmed.count > 8 { return trimmed }
            let digits = Array(trimmed)
            (year, month, day) = (String(digits[0..<4]), String(digits[4..<6]), String(digits[6..<8]))
        }
        guard year.count == 4, let monthNumber = Int(month), let dayNumber = Int(day), Int(year) != nil,
              (1...12).contains(monthNumber), (1...31).contains(dayNumber) else {
            throw CLIError.usage(CLIContext.texts.text(.notADate, ["text": text]))
        }
        let generalized = year + String(format: "%02d%02d", monthNumber, dayNumber) + "000000Z"
        guard GeneralizedTime.date(generalized) != nil else {
            throw CLIError.usage("\"\(text)\" is not a date of the calendar: write 25/08/2021, 2021-08-25 or today")
        }
        return generalized
    }

    /// Today (UTC) at midnight, as GeneralizedTime.
    static func today() -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: Date())
        return String(format: "%04d%02d%02d000000Z", parts.year ?? 1970, parts.month ?? 1, parts.day ?? 1)
    }
}
