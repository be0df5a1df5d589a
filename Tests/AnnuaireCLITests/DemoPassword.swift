import Habilitations

/// The demo accounts' password (README "Demo accounts").
enum DemoPassword {
    static let value = DemoDirectory.password
}
