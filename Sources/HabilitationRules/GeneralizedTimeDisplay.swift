public import Foundation

extension GeneralizedTime {
    /// `25/08/2021` (the day in UTC, as dates are stored): how a rule's message shows a date.
    public static func display(_ date: Date) -> String {
        let text = string(date)
        let digits = Array(text)
        return "\(String(digits[6..<8]))/\(String(digits[4..<6]))/\(String(digits[0..<4]))"
    }
}
