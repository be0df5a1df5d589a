import ArgumentParser

/// R4's work mode: a fixed workstation or not.
enum WorkMode: String, ExpressibleByArgument, CaseIterable {
    case sedentary, itinerant
}
