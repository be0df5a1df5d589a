import ArgumentParser
import Foundation

/// R4's work mode: a fixed workstation or not. Typed in French or English
/// (`sedentaire`, `sédentaire`, `itinérant`, `sedentary`, `itinerant`); the
/// directory stores the English value.
enum WorkMode: String, ExpressibleByArgument, CaseIterable {
    case sedentary, itinerant

    init?(argument: String) {
        let folded = argument.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
        switch folded {
        case "sedentary", "sedentaire": self = .sedentary
        case "itinerant": self = .itinerant
        default: return nil
        }
    }

    static var allValueStrings: [String] { ["sedentaire", "itinerant", "sedentary"] }
}
